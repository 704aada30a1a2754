package dev.linger.proxy.config;

import static dev.linger.proxy.config.TestConfigs.parse;
import static dev.linger.proxy.config.TestConfigs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The balancing, retry and health keys of a route: weights, connect-retries, ejection, health-check. */
class UpstreamConfigTest {

    @Test
    void defaultsAreEachUpstreamOnceEjectionAfterFiveFailuresAndNoActiveChecks() throws ConfigProblems {
        RouteConfig route = parse(route("")).routes().get(0);

        assertThat(route.weights()).containsExactly(1, 1);
        assertThat(route.balance()).isEqualTo(Balance.ROUND_ROBIN);
        assertThat(route.connectRetries()).isEqualTo(RouteConfig.EACH_UPSTREAM);
        assertThat(route.connectTries()).isEqualTo(2);
        assertThat(route.ejection()).isEqualTo(new EjectionConfig(5, Duration.ofSeconds(30)));
        assertThat(route.healthCheck()).isEqualTo(new HealthCheckConfig(Duration.ZERO, Duration.ofSeconds(2), 2, 3));
        assertThat(route.healthCheck().enabled()).isFalse();
    }

    @Test
    void weightsRetriesEjectionAndChecksAreReadAndInheritedKeyByKey() throws ConfigProblems {
        ProxyConfig config = parse("""
                proxy {
                  route-defaults {
                    connect-retries = 1
                    ejection { failures = 3, cool-down = 10s }
                    health-check { interval = 5s, rise = 4 }
                  }
                  routes {
                    db {
                      listen = "127.0.0.1:6432"
                      upstreams = ["10.0.0.1:5432 weight=3", "[::1]:5432", "  db.internal:5432   weight=1000 "]
                      balance = random
                      connect-retries = all
                      ejection.failures = 0
                      health-check { timeout = 500ms, fall = 1 }
                    }
                    web {
                      listen = "127.0.0.1:8080"
                      upstreams = ["10.0.0.1:80", "10.0.0.2:80"]
                    }
                  }
                }
                """);

        RouteConfig db = config.routes().get(0);
        assertThat(db.upstreams()).containsExactly(new HostPort("10.0.0.1", 5432), new HostPort("::1", 5432),
                new HostPort("db.internal", 5432));
        assertThat(db.weights()).containsExactly(3, 1, 1000);
        assertThat(db.balance()).isEqualTo(Balance.RANDOM);
        assertThat(db.connectTries()).isEqualTo(3);
        assertThat(db.ejection()).isEqualTo(new EjectionConfig(0, Duration.ofSeconds(10)));
        assertThat(db.ejection().enabled()).isFalse();
        assertThat(db.healthCheck()).isEqualTo(
                new HealthCheckConfig(Duration.ofSeconds(5), Duration.ofMillis(500), 4, 1));

        RouteConfig web = config.routes().get(1);
        assertThat(web.connectRetries()).isEqualTo(1);
        assertThat(web.connectTries()).isEqualTo(2);
        assertThat(web.ejection()).isEqualTo(new EjectionConfig(3, Duration.ofSeconds(10)));
        assertThat(web.healthCheck()).isEqualTo(new HealthCheckConfig(Duration.ofSeconds(5), Duration.ofSeconds(2), 4, 3));
        assertThat(web.healthCheck().enabled()).isTrue();
    }

    @Test
    void retriesAreCappedAtTheOtherUpstreams() throws ConfigProblems {
        assertThat(parse(route("connect-retries = 0")).routes().get(0).connectTries()).isEqualTo(1);
        assertThat(parse(route("connect-retries = 9")).routes().get(0).connectTries()).isEqualTo(2);
        assertThat(parse(route("connect-retries = \"all\"")).routes().get(0).connectTries()).isEqualTo(2);
    }

    @Test
    void badWeightsAreReportedWithTheIndexOfTheUpstream() {
        List<String> problems = problems("""
                proxy.routes.web {
                  listen = "127.0.0.1:8080"
                  upstreams = [
                    "10.0.0.1:80 weight=2"
                    "10.0.0.2:80 weight=x"
                    "10.0.0.3:80 weight=0"
                    "10.0.0.4:80 weight=1001"
                    "10.0.0.5:80 weight=99999999999"
                    "10.0.0.6:80 wieght=2"
                    "10.0.0.7:80 weight=2 weight=3"
                    "10.0.0.8 weight=2"
                    "10.0.0.1:80"
                  ]
                }
                """);

        String expected = " (expected: host:port or 'host:port weight=N' with N 1-1000) at test.conf:";
        assertThat(problems).containsExactly(
                "proxy.routes.web.upstreams[1]: '10.0.0.2:80 weight=x'" + expected + "5",
                "proxy.routes.web.upstreams[2]: '10.0.0.3:80 weight=0'" + expected + "6",
                "proxy.routes.web.upstreams[3]: '10.0.0.4:80 weight=1001'" + expected + "7",
                "proxy.routes.web.upstreams[4]: '10.0.0.5:80 weight=99999999999'" + expected + "8",
                "proxy.routes.web.upstreams[5]: '10.0.0.6:80 wieght=2'" + expected + "9",
                "proxy.routes.web.upstreams[6]: '10.0.0.7:80 weight=2 weight=3'" + expected + "10",
                "proxy.routes.web.upstreams[7]: '10.0.0.8 weight=2' (expected: host:port or [ipv6]:port) at test.conf:11",
                "proxy.routes.web.upstreams[8]: '10.0.0.1:80' (expected: each upstream listed once;"
                        + " weight=N gives one a larger share) at test.conf:12");
    }

    @Test
    void badRetriesEjectionAndCheckValuesAreEachReported() {
        List<String> problems = problems("""
                proxy.routes.web {
                  listen = "127.0.0.1:8080"
                  upstreams = ["10.0.0.1:80"]
                  connect-retries = -1
                  ejection { failures = -2, cool-down = 0s }
                  health-check {
                    interval = 5ms
                    timeout = 0s
                    rise = 0
                    fall = many
                  }
                }
                """);

        assertThat(problems).containsExactly(
                "proxy.routes.web.connect-retries: '-1' (expected: an integer >= 0, or all (each upstream once))"
                        + " at test.conf:4",
                "proxy.routes.web.ejection.failures: '-2' (expected: an integer >= 0) at test.conf:5",
                "proxy.routes.web.ejection.cool-down: '0s' (expected: a duration > 0 such as 500ms, 5s or 10m)"
                        + " at test.conf:5",
                "proxy.routes.web.health-check.interval: '5ms' (expected: 0s to turn checks off, or at least 10ms"
                        + " such as 5s) at test.conf:7",
                "proxy.routes.web.health-check.timeout: '0s' (expected: a duration > 0 such as 500ms, 5s or 10m)"
                        + " at test.conf:8",
                "proxy.routes.web.health-check.rise: '0' (expected: an integer >= 1) at test.conf:9",
                "proxy.routes.web.health-check.fall: 'many' (expected: an integer >= 1) at test.conf:10");
    }

    @Test
    void moreBadValuesWrongTypesAndUnknownKeys() {
        List<String> problems = problems("""
                proxy.routes.web {
                  listen = "127.0.0.1:8080"
                  upstreams = ["10.0.0.1:80"]
                  connect-retries = some
                  ejection = 5
                  health-check {
                    interval = -1s
                    timeout = 2
                    intervall = 1s
                  }
                }
                """);

        assertThat(problems).containsExactly(
                "proxy.routes.web.connect-retries: 'some' (expected: an integer >= 0, or all (each upstream once))"
                        + " at test.conf:4",
                "proxy.routes.web.ejection: '5' (expected: an object) at test.conf:5",
                "proxy.routes.web.health-check.interval: '-1s' (expected: a duration >= 0 such as 5s (0 = off))"
                        + " at test.conf:7",
                "proxy.routes.web.health-check.timeout: '2' (expected: a duration with a unit such as 2s or 2ms)"
                        + " at test.conf:8",
                "proxy.routes.web.health-check.intervall: unknown key (did you mean 'interval'?) at test.conf:9");
    }

    @Test
    void badValuesInRouteDefaultsAreReportedThereOnce() {
        List<String> problems = problems("""
                proxy {
                  route-defaults {
                    connect-retries = 1.5
                    ejection.cool-down = 30
                    health-check.fall = 0
                  }
                  routes {
                    a { listen = "127.0.0.1:8080", upstreams = ["10.0.0.1:80"] }
                    b { listen = "127.0.0.1:8081", upstreams = ["10.0.0.1:80"] }
                  }
                }
                """);

        assertThat(problems).containsExactly(
                "proxy.route-defaults.connect-retries: '1.5' (expected: an integer >= 0, or all (each upstream once))"
                        + " at test.conf:3",
                "proxy.route-defaults.ejection.cool-down: '30' (expected: a duration with a unit such as 30s or 30ms)"
                        + " at test.conf:4",
                "proxy.route-defaults.health-check.fall: '0' (expected: an integer >= 1) at test.conf:5");
    }

    /** A valid route {@code web} over two upstreams whose line 4 is {@code line}. */
    private static String route(String line) {
        return TestConfigs.route(line, "127.0.0.1:8000", "127.0.0.1:8001");
    }
}
