package dev.linger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.linger.proxy.config.ConfigLoader;
import dev.linger.proxy.config.ConfigProblems;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.config.RouteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/kubernetes/ parses, and agrees with the proxy: the ConfigMap's proxy.conf is a valid linger
 * configuration, and the Deployment's probes, ports, config file path, grace period and user, the
 * Service's target ports and the PodMonitor's endpoint all match what that configuration and the image
 * (docker/Dockerfile) make of them. No cluster is needed; every failure names the file and the field.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("..", "docker", "kubernetes");
    private static final Path DOCKERFILE = Path.of("..", "docker", "Dockerfile");
    /** Where the image keeps its configuration, and where the ConfigMap must put it. */
    private static final String CONFIG_FILE = "/etc/linger/proxy.conf";
    private static final String CONFIG_KEY = "proxy.conf";
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    private static final YAMLMapper YAML = new YAMLMapper();

    /** One YAML document and the file it came from. */
    private record Doc(String file, JsonNode root) {

        /** The node at a dotted path, e.g. {@code spec.template.spec}; failing when it is absent. */
        JsonNode at(String path) {
            JsonNode node = find(path);
            if (node.isMissingNode() || node.isNull()) {
                fail("%s: %s is missing", file, path);
            }
            return node;
        }

        /** The node at a dotted path, or a missing node. */
        JsonNode find(String path) {
            JsonNode node = root;
            for (String part : path.split("\\.")) {
                node = node.path(part);
            }
            return node;
        }

        String kind() {
            return root.path("kind").asText();
        }
    }

    private static List<Doc> docs;
    private static Map<String, List<String>> fileNames;

    @BeforeAll
    static void readManifests() throws IOException {
        assertThat(DIR).as("the Kubernetes manifests folder").isDirectory();
        docs = new ArrayList<>();
        fileNames = new LinkedHashMap<>();
        for (Path file : yamlFiles()) {
            String name = file.getFileName().toString();
            List<JsonNode> roots;
            try {
                roots = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll();
            } catch (IOException e) {
                throw new AssertionError(name + ": does not parse as YAML: " + e.getMessage(), e);
            }
            for (JsonNode root : roots) {
                if (root == null || root.isNull() || root.isMissingNode()) {
                    continue;                                  // an empty document between two ---
                }
                docs.add(new Doc(name, root));
                fileNames.computeIfAbsent(root.path("kind").asText(), k -> new ArrayList<>()).add(name);
            }
        }
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }

    /** The only document of this kind. */
    private static Doc one(String kind) {
        List<Doc> found = docs.stream().filter(d -> d.kind().equals(kind)).toList();
        if (found.size() != 1) {
            fail("docker/kubernetes: expected exactly one %s, found %d (%s)", kind, found.size(),
                    found.stream().map(Doc::file).toList());
        }
        return found.get(0);
    }

    private static Doc deployment() {
        return one("Deployment");
    }

    /** The proxy's container in the Deployment: the one named linger. */
    private static JsonNode container() {
        Doc deployment = deployment();
        for (JsonNode c : deployment.at("spec.template.spec.containers")) {
            if (c.path("name").asText().equals("linger")) {
                return c;
            }
        }
        return fail("%s: spec.template.spec.containers has no container named linger", deployment.file());
    }

    private static ProxyConfig config() {
        Doc configMap = one("ConfigMap");
        JsonNode text = configMap.at("data").path(CONFIG_KEY);
        if (!text.isTextual()) {
            fail("%s: data.%s is missing", configMap.file(), CONFIG_KEY);
        }
        try {
            return ConfigLoader.parse(text.asText(), "configmap proxy.conf");
        } catch (ConfigProblems e) {
            return fail("%s: data.%s is not a valid linger config:%n  %s", configMap.file(), CONFIG_KEY,
                    String.join("\n  ", e.problems()));
        }
    }

    private static int adminPort() {
        HostPort admin = config().admin().listen()
                .orElseGet(() -> fail("configmap.yaml: proxy.conf proxy.admin.listen is empty; the probes "
                        + "and the PodMonitor need the admin listener"));
        return admin.port();
    }

    /** The container's ports, by name (unnamed ones are left out). */
    private static Map<String, Integer> namedPorts() {
        Map<String, Integer> named = new HashMap<>();
        for (JsonNode p : container().path("ports")) {
            if (p.hasNonNull("name")) {
                named.put(p.path("name").asText(), p.path("containerPort").asInt());
            }
        }
        return named;
    }

    private static Set<Integer> containerPorts() {
        Set<Integer> ports = new TreeSet<>();
        container().path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
        return ports;
    }

    /** A port given by number or by a container port's name, as a number. */
    private static int resolvePort(JsonNode port, String file, String field) {
        if (port.isInt()) {
            return port.asInt();
        }
        if (port.isTextual()) {
            Integer number = namedPorts().get(port.asText());
            if (number == null) {
                fail("%s: %s names port '%s', which the linger container does not have (it has %s)", file,
                        field, port.asText(), namedPorts());
            }
            return number;
        }
        return fail("%s: %s is missing or not a port (%s)", file, field, port);
    }

    // --- every file ---

    @Test
    void everyManifestParsesAndNamesItsKind() {
        assertThat(docs).as("YAML documents in docker/kubernetes").isNotEmpty();
        for (Doc doc : docs) {
            assertThat(doc.root().path("apiVersion").asText()).as("%s: apiVersion", doc.file()).isNotBlank();
            assertThat(doc.kind()).as("%s: kind", doc.file()).isNotBlank();
        }
        assertThat(fileNames).as("kinds in docker/kubernetes")
                .containsKeys("ConfigMap", "Deployment", "Service", "PodMonitor", "Kustomization");
    }

    @Test
    void kustomizationListsEveryOtherManifest() throws IOException {
        Doc kustomization = one("Kustomization");
        Set<String> listed = new TreeSet<>();
        kustomization.at("resources").forEach(r -> listed.add(r.asText()));
        Set<String> others = yamlFiles().stream().map(f -> f.getFileName().toString())
                .filter(n -> !n.equals(kustomization.file()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).as("%s: resources (against the other YAML files beside it)", kustomization.file())
                .isEqualTo(others);
    }

    // --- the configuration ---

    @Test
    void configMapHoldsAValidConfigListeningBeyondLoopback() {
        ProxyConfig config = config();
        assertThat(config.routes()).as("configmap.yaml: proxy.conf proxy.routes").isNotEmpty();
        assertThat(config.admin().listen()).as("configmap.yaml: proxy.conf proxy.admin.listen").isPresent();
        assertNotLoopback(config.admin().listen().get(), "proxy.admin.listen");
        for (RouteConfig route : config.routes()) {
            assertNotLoopback(route.listen(), "proxy.routes." + route.name() + ".listen");
        }
    }

    private static void assertNotLoopback(HostPort listen, String key) {
        assertThat(listen.host())
                .as("configmap.yaml: proxy.conf %s is %s; in a pod it must listen on all interfaces "
                        + "(0.0.0.0) for the kubelet, the Service and Prometheus to reach it", key, listen)
                .isNotIn("127.0.0.1", "localhost", "::1");
    }

    @Test
    void configFileIsMountedWhereTheProxyReadsIt() throws IOException {
        Doc deployment = deployment();
        JsonNode container = container();
        String where = deployment.file() + ": containers[linger]";

        // What the process reads: --config from the container's args, or else the image's CMD.
        assertThat(container.has("command"))
                .as("%s.command replaces the image's ENTRYPOINT (java -jar ...); pass flags in args", where)
                .isFalse();
        List<String> args = new ArrayList<>();
        String argsFrom;
        if (container.has("args")) {
            container.get("args").forEach(a -> args.add(a.asText()));
            argsFrom = where + ".args";
        } else {
            args.addAll(dockerfileCmd());
            argsFrom = "docker/Dockerfile CMD (" + where + " has no args)";
        }
        assertThat(configFlag(args)).as("%s: the --config file", argsFrom).isEqualTo(CONFIG_FILE);

        // Where the ConfigMap's key lands: a configMap volume mounted as a directory.
        Doc configMap = one("ConfigMap");
        String configMapName = configMap.at("metadata.name").asText();
        assertThat(configMap.find("data").has(CONFIG_KEY)).as("%s: data.%s", configMap.file(), CONFIG_KEY).isTrue();
        Map<String, JsonNode> volumes = new HashMap<>();
        deployment.at("spec.template.spec.volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        List<String> files = new ArrayList<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            JsonNode volume = volumes.get(mount.path("name").asText());
            if (volume == null || !volume.path("configMap").path("name").asText().equals(configMapName)) {
                continue;
            }
            assertThat(mount.has("subPath"))
                    .as("%s.volumeMounts[%s].subPath: a subPath mount never sees ConfigMap updates, so a "
                            + "reload would read the old file; mount the ConfigMap as a directory",
                            where, mount.path("name").asText())
                    .isFalse();
            String fileName = CONFIG_KEY;
            for (JsonNode item : volume.path("configMap").path("items")) {
                if (item.path("key").asText().equals(CONFIG_KEY)) {
                    fileName = item.path("path").asText();
                }
            }
            String dir = mount.path("mountPath").asText().replaceAll("/+$", "");
            files.add(dir + "/" + fileName);
        }
        assertThat(files)
                .as("%s.volumeMounts: where ConfigMap %s's key %s appears (volume + mountPath + key)", where,
                        configMapName, CONFIG_KEY)
                .contains(CONFIG_FILE);
    }

    private static String configFlag(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config") && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (args.get(i).startsWith("--config=")) {
                return args.get(i).substring("--config=".length());
            }
        }
        return null;
    }

    /** The exec-form CMD of the image's final stage. */
    private static List<String> dockerfileCmd() throws IOException {
        String cmd = lastInstruction("CMD");
        if (cmd == null || !cmd.startsWith("[")) {
            fail("docker/Dockerfile: expected an exec-form CMD [\"--config\", ...], found %s", cmd);
        }
        return List.of(new ObjectMapper().readValue(cmd, String[].class));
    }

    /** The argument of the last instruction named {@code name} in docker/Dockerfile, or null. */
    private static String lastInstruction(String name) throws IOException {
        String found = null;
        for (String line : Files.readAllLines(DOCKERFILE)) {
            String trimmed = line.strip();
            if (trimmed.regionMatches(true, 0, name + " ", 0, name.length() + 1)) {
                found = trimmed.substring(name.length() + 1).strip();
            }
        }
        return found;
    }

    // --- probes and ports ---

    @Test
    void probesHitReadyzAndHealthzOnTheAdminPort() {
        String file = deployment().file();
        JsonNode container = container();
        int admin = adminPort();
        Map<String, String> expected = Map.of("readinessProbe", "/readyz", "livenessProbe", "/healthz");
        for (Map.Entry<String, String> probe : expected.entrySet()) {
            String field = "containers[linger]." + probe.getKey() + ".httpGet";
            JsonNode httpGet = container.path(probe.getKey()).path("httpGet");
            if (httpGet.isMissingNode()) {
                fail("%s: %s is missing", file, field);
            }
            assertThat(httpGet.path("path").asText()).as("%s: %s.path", file, field).isEqualTo(probe.getValue());
            assertThat(resolvePort(httpGet.path("port"), file, field + ".port"))
                    .as("%s: %s.port (configmap.yaml's proxy.admin.listen is on %d)", file, field, admin)
                    .isEqualTo(admin);
            assertThat(httpGet.path("scheme").asText("HTTP")).as("%s: %s.scheme", file, field).isEqualTo("HTTP");
        }
    }

    @Test
    void containerPortsIncludeEveryListener() {
        ProxyConfig config = config();
        Set<Integer> ports = containerPorts();
        String field = deployment().file() + ": containers[linger].ports";
        assertThat(ports).as("%s (proxy.admin.listen in configmap.yaml)", field).contains(adminPort());
        for (RouteConfig route : config.routes()) {
            assertThat(ports).as("%s (proxy.routes.%s.listen in configmap.yaml)", field, route.name())
                    .contains(route.listen().port());
        }
    }

    @Test
    void serviceTargetsPodPortsForEveryRoute() {
        Doc service = one("Service");
        Set<Integer> targets = new TreeSet<>();
        int i = 0;
        for (JsonNode port : service.at("spec.ports")) {
            String field = "spec.ports[" + i++ + "].targetPort";
            JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.path("port");
            int number = resolvePort(target, service.file(), field);
            assertThat(containerPorts()).as("%s: %s (the linger container's ports)", service.file(), field)
                    .contains(number);
            targets.add(number);
        }
        for (RouteConfig route : config().routes()) {
            assertThat(targets).as("%s: spec.ports[*].targetPort (proxy.routes.%s.listen in configmap.yaml)",
                    service.file(), route.name()).contains(route.listen().port());
        }
        assertSelects(service, "spec.selector");
    }

    @Test
    void deploymentSelectsItsOwnPods() {
        assertSelects(deployment(), "spec.selector.matchLabels");
    }

    @Test
    void podMonitorScrapesMetricsOnTheAdminPort() {
        Doc podMonitor = one("PodMonitor");
        assertThat(podMonitor.root().path("apiVersion").asText()).as("%s: apiVersion", podMonitor.file())
                .isEqualTo("monitoring.coreos.com/v1");
        int admin = adminPort();
        String adminName = namedPorts().entrySet().stream().filter(e -> e.getValue() == admin)
                .map(Map.Entry::getKey).findFirst()
                .orElseGet(() -> fail("%s: containers[linger].ports has no named port %d (proxy.admin.listen)",
                        deployment().file(), admin));
        JsonNode endpoints = podMonitor.at("spec.podMetricsEndpoints");
        assertThat(endpoints.size()).as("%s: spec.podMetricsEndpoints", podMonitor.file()).isPositive();
        int i = 0;
        for (JsonNode endpoint : endpoints) {
            String field = "spec.podMetricsEndpoints[" + i++ + "]";
            assertThat(endpoint.path("port").asText()).as("%s: %s.port (the admin container port's name)",
                    podMonitor.file(), field).isEqualTo(adminName);
            assertThat(endpoint.path("path").asText("/metrics")).as("%s: %s.path", podMonitor.file(), field)
                    .isEqualTo("/metrics");
        }
        assertSelects(podMonitor, "spec.selector.matchLabels");
    }

    /** The labels at {@code path} in {@code doc} all appear on the Deployment's pod template. */
    private static void assertSelects(Doc doc, String path) {
        Map<String, String> selector = labels(doc.at(path));
        assertThat(selector).as("%s: %s", doc.file(), path).isNotEmpty();
        Map<String, String> podLabels = labels(deployment().at("spec.template.metadata.labels"));
        assertThat(podLabels).as("%s: %s (against deployment.yaml's spec.template.metadata.labels)", doc.file(),
                path).containsAllEntriesOf(selector);
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    // --- shutdown ---

    @Test
    void gracePeriodOutlastsPreStopAndTheWholeDrain() {
        Doc deployment = deployment();
        ProxyConfig config = config();
        JsonNode grace = deployment.find("spec.template.spec.terminationGracePeriodSeconds");
        Duration gracePeriod = grace.isMissingNode() ? DEFAULT_GRACE : Duration.ofSeconds(grace.asLong());
        Duration preStop = preStopPause(deployment.file(), container());
        Duration longestLinger = config.routes().stream().map(r -> r.teardown().lingerTimeout())
                .max(Duration::compareTo).orElse(Duration.ZERO);
        Duration needed = preStop.plus(config.shutdownTimeout()).plus(longestLinger).plus(config.shutdownSpread());
        assertThat(gracePeriod)
                .as("%s: spec.template.spec.terminationGracePeriodSeconds must exceed preStop %s + shutdown-timeout"
                                + " %s + longest linger-timeout %s + shutdown-spread %s = %s (configmap.yaml)",
                        deployment.file(), preStop, config.shutdownTimeout(), longestLinger, config.shutdownSpread(),
                        needed)
                .isGreaterThan(needed);
    }

    private static final Pattern SLEEP = Pattern.compile("\\bsleep\\s+(\\d+(?:\\.\\d+)?)s?\\b");

    /** How long the preStop hook pauses: {@code exec: sleep N} or the {@code sleep.seconds} action. */
    private static Duration preStopPause(String file, JsonNode container) {
        String field = "containers[linger].lifecycle.preStop";
        JsonNode preStop = container.path("lifecycle").path("preStop");
        if (preStop.has("sleep")) {
            return Duration.ofSeconds(preStop.path("sleep").path("seconds").asLong());
        }
        JsonNode command = preStop.path("exec").path("command");
        if (command.isMissingNode() || command.isEmpty()) {
            return fail("%s: %s.exec.command is missing: without a pause the drain starts before the pod "
                    + "leaves the Service's endpoints", file, field);
        }
        List<String> words = new ArrayList<>();
        command.forEach(w -> words.add(w.asText()));
        Matcher m = SLEEP.matcher(String.join(" ", words));
        if (!m.find()) {
            return fail("%s: %s.exec.command %s has no `sleep N`", file, field, words);
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000));
    }

    // --- user ---

    @Test
    void runsAsNonRootLikeTheImage() throws IOException {
        String user = lastInstruction("USER");
        assertThat(user).as("docker/Dockerfile: USER").isNotNull();
        String userName = user.split(":")[0];
        assertThat(userName).as("docker/Dockerfile: USER").isNotIn("root", "0");

        Doc deployment = deployment();
        JsonNode pod = deployment.at("spec.template.spec").path("securityContext");
        JsonNode own = container().path("securityContext");
        JsonNode nonRoot = own.has("runAsNonRoot") ? own.get("runAsNonRoot") : pod.path("runAsNonRoot");
        JsonNode uid = own.has("runAsUser") ? own.get("runAsUser") : pod.path("runAsUser");
        String field = deployment.file() + ": securityContext";
        assertThat(nonRoot.asBoolean(false)).as("%s.runAsNonRoot", field).isTrue();
        if (userName.chars().allMatch(Character::isDigit)) {
            if (!uid.isMissingNode()) {
                assertThat(uid.asLong()).as("%s.runAsUser (docker/Dockerfile: USER %s)", field, user)
                        .isEqualTo(Long.parseLong(userName));
            }
        } else {
            // The kubelet cannot check that a user *name* is not root, so runAsNonRoot needs a UID.
            assertThat(uid.isIntegralNumber())
                    .as("%s.runAsUser: docker/Dockerfile's USER %s is a name, and runAsNonRoot needs a numeric UID",
                            field, user)
                    .isTrue();
            assertThat(uid.asLong()).as("%s.runAsUser", field).isPositive();
            java.util.regex.Matcher useradd = Pattern.compile("useradd[^\\n]*--uid (\\d+)[^\\n]*\\b"
                    + Pattern.quote(userName) + "\\b").matcher(Files.readString(DOCKERFILE));
            assertThat(useradd.find())
                    .as("docker/Dockerfile: USER %s must be created by useradd with a fixed --uid", user).isTrue();
            assertThat(uid.asLong()).as("%s.runAsUser (docker/Dockerfile: useradd --uid)", field)
                    .isEqualTo(Long.parseLong(useradd.group(1)));
        }
    }
}
