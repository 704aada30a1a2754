package dev.linger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.linger.proxy.config.HostPort;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UpstreamSelectorTest {

    @Test
    void roundRobinVisitsEveryUpstreamInTurn() {
        UpstreamSelector selector = new UpstreamSelector(List.of(
                HostPort.parse("10.0.0.1:80"), HostPort.parse("10.0.0.2:80"), HostPort.parse("db.internal:5432")));

        List<String> picked = IntStream.range(0, 6).mapToObj(i -> selector.next().toString()).toList();

        assertThat(picked).containsExactly("10.0.0.1:80", "10.0.0.2:80", "db.internal:5432",
                "10.0.0.1:80", "10.0.0.2:80", "db.internal:5432");
    }

    @Test
    void ipLiteralsAreResolvedOnceAndHostNamesLeftToTheResolver() {
        UpstreamSelector selector = new UpstreamSelector(List.of(
                HostPort.parse("[::1]:443"), HostPort.parse("cache.internal:6379")));

        assertThat(selector.upstreams().get(0).address().isUnresolved()).isFalse();
        assertThat(selector.upstreams().get(0).address().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(selector.upstreams().get(1).address().isUnresolved()).isTrue();
    }

    @Test
    void refusesAnEmptyList() {
        assertThatThrownBy(() -> new UpstreamSelector(List.of()))
                .hasMessage("upstreams: [] (expected: at least one host:port)");
    }
}
