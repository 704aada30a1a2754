package dev.linger.proxy.config;

import static dev.linger.proxy.config.TestConfigs.loadProblems;
import static dev.linger.proxy.config.TestConfigs.parse;
import static dev.linger.proxy.config.TestConfigs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void unknownKeyNamesItsPathAndTheKeyItWasProbablyMeantToBe() {
        List<String> problems = problems("""
                proxy.routes.web {
                  lisen = "127.0.0.1:8080"
                  upstreams = ["127.0.0.1:8000"]
                }
                """);

        assertThat(problems).contains(
                "proxy.routes.web.lisen: unknown key (did you mean 'listen'?) at test.conf:2",
                "proxy.routes.web.listen: missing (expected: host:port) at test.conf:1");
    }

    @Test
    void unknownKeyFarFromAnyKnownOneListsTheKnownOnes() {
        List<String> problems = problems("""
                proxy.admin {
                  colour = blue
                }
                """);

        assertThat(problems).containsExactly(
                "proxy.admin.colour: unknown key (expected one of: listen, token) at test.conf:2");
    }

    @Test
    void unknownKeysAreFoundInEverySection() {
        List<String> problems = problems("""
                prxy { }
                proxy {
                  io_threads = 4
                  admin.tokn = x
                  route-defaults.idle-timout = 1m
                  route-defaults.teardown.polcy = abort
                  routes.web {
                    listen = "127.0.0.1:8080"
                    upstreams = ["127.0.0.1:8000"]
                    teardown.linger = 1s
                  }
                }
                """);

        assertThat(problems).containsExactly(
                "prxy: unknown key (did you mean 'proxy'?) at test.conf:1",
                "proxy.io_threads: unknown key (did you mean 'io-threads'?) at test.conf:3",
                "proxy.admin.tokn: unknown key (did you mean 'token'?) at test.conf:4",
                "proxy.route-defaults.idle-timout: unknown key (did you mean 'idle-timeout'?) at test.conf:5",
                "proxy.route-defaults.teardown.polcy: unknown key (did you mean 'policy'?) at test.conf:6",
                "proxy.routes.web.teardown.linger: unknown key (expected one of: policy, linger-timeout, on)"
                        + " at test.conf:10");
    }

    @Test
    void badPolicyNamesTheChoices() {
        List<String> problems = problems(route("teardown.policy = sometimes"));

        assertThat(problems).containsExactly(
                "proxy.routes.web.teardown.policy: 'sometimes' (expected: graceful or abort) at test.conf:4");
    }

    @Test
    void badPolicyForOneTriggerNamesTheTrigger() {
        List<String> problems = problems(route("teardown.on.client-fin = never"));

        assertThat(problems).containsExactly(
                "proxy.routes.web.teardown.on.client-fin: 'never' (expected: graceful or abort) at test.conf:4");
    }

    @Test
    void durationThatIsNotOne() {
        List<String> problems = problems(route("idle-timeout = soon"));

        assertThat(problems).containsExactly("proxy.routes.web.idle-timeout: 'soon'"
                + " (expected: a duration > 0 such as 500ms, 5s or 10m) at test.conf:4");
    }

    @Test
    void negativeLingerTimeout() {
        List<String> problems = problems(route("teardown.linger-timeout = -1s"));

        assertThat(problems).containsExactly("proxy.routes.web.teardown.linger-timeout: '-1s'"
                + " (expected: a duration > 0 such as 500ms, 5s or 10m) at test.conf:4");
    }

    @Test
    void zeroIsRefusedWhereItMeansNothingAndAcceptedAsUnlimitedMaxDuration() throws ConfigProblems {
        assertThat(problems(route("connect-timeout = 0s"))).singleElement().asString()
                .startsWith("proxy.routes.web.connect-timeout: '0s' (expected: a duration > 0");
        assertThat(problems("proxy.shutdown-timeout = 0")).singleElement().asString()
                .startsWith("proxy.shutdown-timeout: '0' (expected: a duration > 0");

        assertThat(parse(route("max-duration = 0")).routes().get(0).maxDuration()).isZero();
    }

    @Test
    void durationWithoutUnitIsRefusedRatherThanReadAsMilliseconds() {
        List<String> problems = problems(route("idle-timeout = 600"));

        assertThat(problems).containsExactly("proxy.routes.web.idle-timeout: '600'"
                + " (expected: a duration with a unit such as 600s or 600ms) at test.conf:4");
    }

    @Test
    void emptyUpstreams() {
        List<String> problems = problems("""
                proxy.routes.web {
                  listen = "127.0.0.1:8080"
                  upstreams = []
                }
                """);

        assertThat(problems).containsExactly(
                "proxy.routes.web.upstreams: '[]' (expected: at least one host:port) at test.conf:3");
    }

    @Test
    void missingUpstreams() {
        List<String> problems = problems("""
                proxy.routes.web {
                  listen = "127.0.0.1:8080"
                }
                """);

        assertThat(problems).singleElement().asString()
                .startsWith("proxy.routes.web.upstreams: missing (expected: a list of host:port")
                .endsWith(" at test.conf:1");
    }

    @Test
    void portOutOfRangeInListenAndUpstreams() {
        List<String> problems = problems("""
                proxy.routes.web {
                  listen = "127.0.0.1:99999"
                  upstreams = ["127.0.0.1:8000", "[::1]:0"]
                }
                """);

        assertThat(problems).containsExactly(
                "proxy.routes.web.listen: '127.0.0.1:99999' (expected: port 1-65535) at test.conf:2",
                "proxy.routes.web.upstreams[1]: '[::1]:0' (expected: port 1-65535) at test.conf:3");
    }

    @Test
    void malformedAddresses() {
        List<String> problems = problems("""
                proxy.routes.web {
                  listen = "*:8080"
                  upstreams = [
                    "10.0.0.1"
                    "999.0.0.1:80"
                    "web server:80"
                    8000
                  ]
                }
                """);

        assertThat(problems).containsExactly(
                "proxy.routes.web.listen: '*:8080'"
                        + " (expected: host:port; 0.0.0.0 or [::] listens on every interface) at test.conf:2",
                "proxy.routes.web.upstreams[0]: '10.0.0.1' (expected: host:port or [ipv6]:port) at test.conf:4",
                "proxy.routes.web.upstreams[1]: '999.0.0.1:80'"
                        + " (expected: host:port with a valid IPv4 address) at test.conf:5",
                "proxy.routes.web.upstreams[2]: 'web server:80'"
                        + " (expected: host:port with a host name or IP address) at test.conf:6",
                "proxy.routes.web.upstreams[3]: '8000' (expected: host:port) at test.conf:7");
    }

    @Test
    void unknownTriggerListsTheTriggersAndSuggestsTheClosest() {
        List<String> problems = problems(route("teardown.on { client-reset = abort }"));

        assertThat(problems).containsExactly("proxy.routes.web.teardown.on.client-reset: unknown trigger"
                + " (did you mean 'client-rst'? expected one of: client-fin, upstream-fin, client-rst, upstream-rst,"
                + " idle-timeout, max-duration, connect-failed, rejected, shutdown, admin, error) at test.conf:4");
    }

    @Test
    void twoRoutesOnOneListenAddressReportTheLaterNamingTheEarlier() {
        List<String> problems = problems("""
                proxy.routes {
                  zeta { listen = "127.0.0.1:8080", upstreams = ["127.0.0.1:8000"] }
                  alpha { listen = "127.0.0.1:8080", upstreams = ["127.0.0.1:8001"] }
                }
                """);

        assertThat(problems).containsExactly("proxy.routes.alpha.listen: '127.0.0.1:8080' (expected: an address"
                + " no other listener uses; route 'zeta' listens on '127.0.0.1:8080') at test.conf:3");
    }

    @Test
    void wildcardListenClashesWithASpecificAddressOnTheSamePort() {
        List<String> problems = problems("""
                proxy.routes {
                  any { listen = "0.0.0.0:8080", upstreams = ["127.0.0.1:8000"] }
                  local { listen = "127.0.0.1:8080", upstreams = ["127.0.0.1:8000"] }
                  other-port { listen = "127.0.0.1:8081", upstreams = ["127.0.0.1:8000"] }
                  v6-any { listen = "[::]:8082", upstreams = ["127.0.0.1:8000"] }
                  v4-local { listen = "127.0.0.1:8082", upstreams = ["127.0.0.1:8000"] }
                }
                """);

        assertThat(problems).containsExactly(
                "proxy.routes.local.listen: '127.0.0.1:8080' (expected: an address no other listener uses;"
                        + " route 'any' listens on '0.0.0.0:8080') at test.conf:3",
                "proxy.routes.v4-local.listen: '127.0.0.1:8082' (expected: an address no other listener uses;"
                        + " route 'v6-any' listens on '[::]:8082') at test.conf:6");
    }

    @Test
    void routeOnTheAdminListenAddressIsReported() {
        List<String> problems = problems("""
                proxy.routes.web {
                  listen = "0.0.0.0:9090"
                  upstreams = ["127.0.0.1:8000"]
                }
                """);

        assertThat(problems).containsExactly("proxy.routes.web.listen: '0.0.0.0:9090' (expected: an address no"
                + " other listener uses; the admin listener listens on '127.0.0.1:9090') at test.conf:2");
    }

    @Test
    void syntaxErrorIsOneLineNamingTheFileAndLine() throws IOException {
        Path file = write("proxy.conf", """
                proxy {
                  routes {
                    web {
                      listen = "127.0.0.1:8080"
                      upstreams = [
                    }
                }
                """);

        List<String> problems = loadProblems(file);

        assertThat(problems).singleElement().asString().startsWith("proxy.conf:6: ");
    }

    @Test
    void unresolvedSubstitutionIsOneLineNamingTheLine() {
        List<String> problems = problems("""
                proxy {
                  io-threads = ${LINGER_SURELY_UNSET_VARIABLE}
                }
                """);

        assertThat(problems).singleElement().asString()
                .startsWith("test.conf:2: ")
                .contains("${LINGER_SURELY_UNSET_VARIABLE}");
    }

    @Test
    void missingFileIsOneLine() {
        Path file = dir.resolve("nope.conf");

        assertThat(loadProblems(file)).containsExactly(file + ": cannot read (No such file or directory)");
    }

    @Test
    void directoryIsNotAFile() {
        assertThat(loadProblems(dir)).containsExactly(dir + ": cannot read (Is a directory)");
    }

    @Test
    void threeProblemsAreReportedTogetherInFileOrder() {
        List<String> problems = problems("""
                proxy {
                  routes.web {
                    listen = "127.0.0.1:8080"
                    upstreams = ["127.0.0.1:8000"]
                    idle-timeout = soon
                    teardown {
                      policy = sometimes
                      on.client-reset = abort
                    }
                  }
                }
                """);

        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).startsWith("proxy.routes.web.idle-timeout: 'soon'").endsWith("at test.conf:5");
        assertThat(problems.get(1)).startsWith("proxy.routes.web.teardown.policy: 'sometimes'")
                .endsWith("at test.conf:7");
        assertThat(problems.get(2)).startsWith("proxy.routes.web.teardown.on.client-reset: unknown trigger")
                .endsWith("at test.conf:8");
    }

    @Test
    void badValueInRouteDefaultsIsReportedOnceThereNotUnderEveryRoute() {
        List<String> problems = problems("""
                proxy {
                  route-defaults.idle-timeout = soon
                  routes {
                    a { listen = "127.0.0.1:8080", upstreams = ["127.0.0.1:8000"] }
                    b { listen = "127.0.0.1:8081", upstreams = ["127.0.0.1:8000"] }
                  }
                }
                """);

        assertThat(problems).containsExactly("proxy.route-defaults.idle-timeout: 'soon'"
                + " (expected: a duration > 0 such as 500ms, 5s or 10m) at test.conf:2");
    }

    @Test
    void wrongTypes() {
        List<String> problems = problems("""
                proxy {
                  io-threads = four
                  transport = [nio]
                  admin.token = [a, b]
                  routes.web {
                    listen = "127.0.0.1:8080"
                    upstreams = "127.0.0.1:8000"
                    max-connections = 0
                    teardown = abort
                  }
                }
                """);

        assertThat(problems).containsExactly(
                "proxy.io-threads: 'four' (expected: an integer >= 0) at test.conf:2",
                "proxy.transport: '[\"nio\"]' (expected: auto, epoll, io_uring or nio) at test.conf:3",
                "proxy.admin.token: '[\"a\",\"b\"]' (expected: a string) at test.conf:4",
                "proxy.routes.web.upstreams: '127.0.0.1:8000' (expected: a list of host:port such as"
                        + " [\"10.0.0.1:80\", \"10.0.0.2:80 weight=2\"]) at test.conf:7",
                "proxy.routes.web.max-connections: '0' (expected: an integer >= 1) at test.conf:8",
                "proxy.routes.web.teardown: 'abort' (expected: an object) at test.conf:9");
    }

    @Test
    void routeNameMustBeUsableAsMetricTag() {
        List<String> problems = problems("""
                proxy.routes {
                  "web site" { listen = "127.0.0.1:8080", upstreams = ["127.0.0.1:8000"] }
                  "web.v2" { listen = "127.0.0.1:8081", upstreams = ["127.0.0.1:8000"] }
                }
                """);

        assertThat(problems).containsExactly("proxy.routes.\"web site\": 'web site' (expected: a route name of"
                + " letters, digits, '-', '_' and '.' only) at test.conf:2");
    }

    @Test
    void validFileGivesRecordsWithDefaultsInheritedAndOverridesApplied() throws IOException, ConfigProblems {
        Path file = write("proxy.conf", """
                proxy {
                  transport = nio
                  io-threads = 2
                  admin { listen = "", token = secret }
                  route-defaults {
                    idle-timeout = 1m
                    teardown.on.upstream-fin = abort
                  }
                  routes {
                    web {
                      listen = "0.0.0.0:8080"
                      upstreams = ["10.0.0.1:80", "[::1]:8080", "backend.internal:80"]
                      teardown { policy = abort, on { upstream-fin = graceful } }
                    }
                    db {
                      listen = "[::1]:6432"
                      upstreams = ["10.0.0.2:5432"]
                      balance = least-connections
                      max-duration = 4h
                      max-connections = 50
                      teardown.linger-timeout = 30s
                    }
                  }
                }
                """);

        ProxyConfig config = ConfigLoader.load(file);

        assertThat(config.transport()).isEqualTo(TransportKind.NIO);
        assertThat(config.ioThreads()).isEqualTo(2);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.admin().listen()).isEmpty();
        assertThat(config.admin().token()).isEqualTo("secret");
        assertThat(config.routes()).extracting(RouteConfig::name).containsExactly("db", "web");

        RouteConfig db = config.routes().get(0);
        assertThat(db.listen()).isEqualTo(new HostPort("::1", 6432));
        assertThat(db.upstreams()).containsExactly(new HostPort("10.0.0.2", 5432));
        assertThat(db.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(db.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(db.maxDuration()).isEqualTo(Duration.ofHours(4));
        assertThat(db.maxConnections()).isEqualTo(50);
        assertThat(db.balance()).isEqualTo(Balance.LEAST_CONNECTIONS);
        assertThat(db.teardown().policy()).isEqualTo(Policy.GRACEFUL);
        assertThat(db.teardown().lingerTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(db.teardown().overrides()).isEqualTo(Map.of(
                Trigger.CLIENT_RST, Policy.ABORT, Trigger.UPSTREAM_RST, Policy.ABORT,
                Trigger.UPSTREAM_FIN, Policy.ABORT));

        RouteConfig web = config.routes().get(1);
        assertThat(web.listen()).isEqualTo(new HostPort("0.0.0.0", 8080));
        assertThat(web.upstreams()).containsExactly(new HostPort("10.0.0.1", 80), new HostPort("::1", 8080),
                new HostPort("backend.internal", 80));
        assertThat(web.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(web.maxDuration()).isZero();
        assertThat(web.maxConnections()).isEqualTo(10000);
        assertThat(web.balance()).isEqualTo(Balance.ROUND_ROBIN);
        assertThat(web.teardown().lingerTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(web.teardown().policyFor(Trigger.UPSTREAM_FIN)).isEqualTo(Policy.GRACEFUL);
        assertThat(web.teardown().policyFor(Trigger.CLIENT_FIN)).isEqualTo(Policy.ABORT);
        assertThat(web.teardown().policyFor(Trigger.CLIENT_RST)).isEqualTo(Policy.ABORT);
        assertThat(web.teardown().policyFor(Trigger.IDLE_TIMEOUT)).isEqualTo(Policy.ABORT);
    }

    @Test
    void emptyFileIsTheDefaultsWithNoRoutes() throws ConfigProblems {
        ProxyConfig config = parse("");

        assertThat(config.transport()).isEqualTo(TransportKind.AUTO);
        assertThat(config.ioThreads()).isZero();
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.admin().listen()).contains(new HostPort("127.0.0.1", 9090));
        assertThat(config.admin().requiresToken()).isFalse();
        assertThat(config.routes()).isEmpty();
    }

    @Test
    void defaultTeardownResetsOnResetsAndDrainsOtherwise() throws ConfigProblems {
        TeardownConfig teardown = parse(route("")).routes().get(0).teardown();

        assertThat(teardown.policy()).isEqualTo(Policy.GRACEFUL);
        assertThat(teardown.policyFor(Trigger.CLIENT_RST)).isEqualTo(Policy.ABORT);
        assertThat(teardown.policyFor(Trigger.UPSTREAM_RST)).isEqualTo(Policy.ABORT);
        assertThat(teardown.policyFor(Trigger.CLIENT_FIN)).isEqualTo(Policy.GRACEFUL);
        assertThat(teardown.policyFor(Trigger.SHUTDOWN)).isEqualTo(Policy.GRACEFUL);
    }

    @Test
    void substitutionsAndEnvironmentOverridesAreResolved() throws ConfigProblems {
        ProxyConfig config = parse("""
                proxy {
                  admin.token = "none"
                  admin.token = ${?HOME}
                  route-defaults.idle-timeout = 1m
                  route-defaults.idle-timeout = ${?LINGER_SURELY_UNSET_VARIABLE}
                  routes.web {
                    listen = "127.0.0.1:8080"
                    upstreams = ["127.0.0.1:8000"]
                    connect-timeout = ${proxy.route-defaults.idle-timeout}
                  }
                }
                """);

        assertThat(config.admin().token()).isEqualTo(System.getenv("HOME")).isNotEmpty();
        assertThat(config.routes().get(0).idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.routes().get(0).connectTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void unsetOptionalOverrideKeepsTheBuiltInDefault() throws ConfigProblems {
        ProxyConfig config = parse("proxy.shutdown-timeout = ${?LINGER_SURELY_UNSET_VARIABLE}");

        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void numbersFromEnvironmentVariablesArriveAsTextAndAreAccepted() throws ConfigProblems {
        // What `io-threads = ${?IO_THREADS}` gives when IO_THREADS=3 is set.
        ProxyConfig config = parse(route("max-connections = \"3\"").replace("proxy {", "proxy {\n io-threads = \"3\""));

        assertThat(config.ioThreads()).isEqualTo(3);
        assertThat(config.routes().get(0).maxConnections()).isEqualTo(3);
    }

    /** A valid route {@code web} whose line 4 is {@code line}. */
    private static String route(String line) {
        return TestConfigs.route(line, "127.0.0.1:8000");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
