package dev.linger.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /reload}: answers with the validation result and counts every attempt by result. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReloadApiIT {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersWhatChangedOrEveryProblemAndCountsBoth() throws Exception {
        int admin = Jar.freePort();
        int web = Jar.freePort();
        int api = Jar.freePort();
        Path file = dir.resolve("proxy.conf");
        String head = "proxy {\n  admin.listen = \"127.0.0.1:" + admin + "\"\n";
        Files.writeString(file, head + "  routes.web { listen = \"127.0.0.1:" + web + "\", upstreams = [\"127.0.0.1:9\"] }\n}\n");
        try (ProxyProcess process = ProxyProcess.start(ConfigLoader.load(file), file)) {
            assertThat(metrics(admin)).contains("proxy_config_reloads_total{result=\"success\"} 0.0",
                    "proxy_config_reloads_total{result=\"failure\"} 0.0");

            Files.writeString(file, head + "  routes.web { listen = \"127.0.0.1:" + web + "\", upstreams = [\"127.0.0.1:9\"],"
                    + " teardown.policy = abort }\n  routes.api { listen = \"127.0.0.1:" + api + "\", upstreams = [\"127.0.0.1:9\"] }\n}\n");
            HttpResponse<String> good = post(admin, "/reload");

            assertThat(good.statusCode()).isEqualTo(200);
            assertThat(good.body()).isEqualTo("{\"result\":\"success\",\"added\":[\"api\"],\"changed\":[\"web\"],"
                    + "\"removed\":[],\"unchanged\":[],\"restart-needed\":[]}\n");
            assertThat(process.server().boundAddress("api").getPort()).isEqualTo(api);

            Files.writeString(file, head + "  routes.web { listen = \"127.0.0.1:" + web + "\", upstreams = [] }\n}\n");
            HttpResponse<String> bad = post(admin, "/reload");

            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(bad.body()).startsWith("{\"result\":\"failure\",\"problems\":[\"proxy.routes.web.upstreams: '[]'");
            assertThat(process.server().routes()).extracting(route -> route.name()).containsExactly("api", "web");
            assertThat(metrics(admin)).contains("proxy_config_reloads_total{result=\"success\"} 1.0",
                    "proxy_config_reloads_total{result=\"failure\"} 1.0");
        }
    }

    private HttpResponse<String> post(int admin, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + path))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String metrics(int admin) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
