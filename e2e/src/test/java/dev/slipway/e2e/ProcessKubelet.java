package dev.slipway.e2e;

import dev.slipway.provisioning.kubernetes.FlinkPodFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node of the fabric8 mock API server that runs its pods for real, as a kubelet and a container runtime would:
 * <ul>
 * <li>the image is a directory laid out as the image's {@code /opt} ({@link FlinkImageRoot}), mounted at {@code /opt} in
 * a mount namespace of the pod's own ({@code unshare}), with the pod's volumes (hostPath with its subPath, emptyDir)
 * mounted at their paths and a hosts file of the pod's own at {@code /etc/hosts};</li>
 * <li>each pod has an address of its own on the loopback network ({@code 127.0.1.N}); a Service's names resolve, through
 * the pods' hosts files, to the address of the pod its selector picks (here: a cluster's JobManager);</li>
 * <li>the main container's command and arguments run with its environment (values, the downward API's pod IP, name and
 * namespace) after Kubernetes' {@code $(VAR)} expansion. A process binding {@code 0.0.0.0}, all of its pod's own
 * addresses, binds the pod's address here: the loopback network is shared, and two TaskManagers on the fixed RPC port
 * would otherwise collide;</li>
 * <li>the pod's status follows the process: Running once started, Ready when its readiness probe (HTTP GET or TCP)
 * passes, Succeeded or Failed with the exit code when it ends; an image it does not hold is ErrImagePull; a deleted pod's
 * process is stopped (SIGTERM, then SIGKILL after the grace period).</li>
 * </ul>
 * Mount namespaces need root, as a kubelet does ({@link #available()}).
 */
final class ProcessKubelet implements AutoCloseable {

    static final String NODE = "kubelet-node-1";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final String ALL_ADDRESSES = "0.0.0.0";
    private static final Set<String> ENDED = Set.of("Succeeded", "Failed");
    /** Runs in the pod's mount namespace: the image at /opt, the volumes, the hosts file; then the container's command. */
    private static final String CONTAINER_SETUP = """
            set -e
            image="$1"; hosts="$2"; shift 2
            mkdir -p /opt && mount -t tmpfs -o mode=755 kubelet-image /opt
            for entry in "$image"/*; do mkdir -p "/opt/${entry##*/}"; mount --bind "$entry" "/opt/${entry##*/}"; done
            while [ "$1" != -- ]; do mkdir -p "$2"; mount --bind "$1" "$2"; shift 2; done; shift
            mount --bind "$hosts" /etc/hosts
            exec "$@"
            """;

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Path> images;
    private final Path work;
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "process-kubelet");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Pods deleted from the API: one deleted before its process starts never starts. */
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger addresses = new AtomicInteger(1);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Watch watch;

    private record Running(Pod pod, String ip, Process process, Path hosts) {
    }

    /** @param images the image root of each image name pods may ask for */
    ProcessKubelet(KubernetesClient client, String namespace, Map<String, Path> images, Path work) {
        this.client = client;
        this.namespace = namespace;
        this.images = Map.copyOf(images);
        this.work = work;
    }

    /** Whether this machine lets the kubelet give pods mount namespaces: root and {@code unshare}. */
    static boolean available() {
        try {
            Process probe = new ProcessBuilder("unshare", "--mount", "true").redirectErrorStream(true).start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    ProcessKubelet start() {
        watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                if (action == Action.ADDED) {
                    deleted.remove(name);
                    workers.submit(() -> run(pod));
                } else if (action == Action.DELETED) {
                    deleted.add(name);
                    workers.submit(() -> stop(name));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // The test's end closes the watch; nothing to resume.
            }
        });
        return this;
    }

    /** The pod's address on this node, once it runs. */
    String ip(String podName) {
        Running pod = running.get(podName);
        return pod == null ? null : pod.ip;
    }

    /** The container's output (what {@code kubectl logs} shows). */
    Path output(String podName) {
        return work.resolve(podName).resolve(podName + ".out");
    }

    /** Names of the pods whose processes are alive. */
    List<String> alive() {
        return running.entrySet().stream().filter(entry -> entry.getValue().process != null && entry.getValue().process.isAlive()).map(Map.Entry::getKey).sorted().toList();
    }

    private void run(Pod pod) {
        String name = pod.getMetadata().getName();
        Container main = pod.getSpec().getContainers().get(0);
        try {
            client.pods().inNamespace(namespace).withName(name).edit(p -> {
                p.getSpec().setNodeName(NODE);
                return p;
            });
            Path image = images.get(main.getImage());
            if (image == null) {
                status(name, status -> {
                    status.setPhase("Pending");
                    status.setContainerStatuses(List.of(new ContainerStatusBuilder().withName(main.getName()).withReady(false)
                            .withState(new ContainerStateBuilder().withNewWaiting().withReason("ErrImagePull")
                                    .withMessage("image " + main.getImage() + " is not on node " + NODE).endWaiting().build())
                            .build()));
                });
                return;
            }
            String ip = "127.0.1." + addresses.incrementAndGet();
            Path directory = Files.createDirectories(work.resolve(name));
            Path hosts = directory.resolve("hosts");
            Map<String, String> env = environment(pod, main, ip);
            List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "/bin/bash", "-c",
                    CONTAINER_SETUP, "kubelet", image.toString(), hosts.toString()));
            command.addAll(mounts(pod, main, directory));
            command.add("--");
            for (String word : concat(main.getCommand(), main.getArgs())) {
                command.add(ownAddress(expand(word, env), ip));
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(image.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output(name).toFile()));
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process;
            synchronized (this) {
                if (deleted.contains(name)) {
                    return;
                }
                running.put(name, new Running(pod, ip, null, hosts));
                writeHostsFiles();
                process = builder.start();
                running.put(name, new Running(pod, ip, process, hosts));
            }
            status(name, status -> {
                status.setPhase("Running");
                status.setPodIP(ip);
                status.setHostIP("127.0.0.1");
                status.setStartTime(Instant.now().toString());
                status.setContainerStatuses(List.of(new ContainerStatusBuilder().withName(main.getName()).withReady(false)
                        .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(Instant.now().toString()).endRunning()
                                .build())
                        .build()));
            });
            // After Running is written: an exit reported first would be overwritten by it.
            process.onExit().thenRun(() -> exited(name, process));
            awaitReadiness(name, main.getReadinessProbe(), ip);
        } catch (IOException | RuntimeException e) {
            status(name, status -> {
                status.setPhase("Failed");
                status.setReason("KubeletError");
                status.setMessage(String.valueOf(e));
            });
        }
    }

    /** The image's environment (Flink's official images set FLINK_HOME; Java is the node's), then the container's. */
    private static Map<String, String> environment(Pod pod, Container main, String ip) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("FLINK_HOME", FlinkPodFactory.FLINK_HOME);
        env.put("HOSTNAME", pod.getMetadata().getName());
        for (EnvVar var : main.getEnv() == null ? List.<EnvVar>of() : main.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), expand(var.getValue(), env));
            } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
                String field = var.getValueFrom().getFieldRef().getFieldPath();
                env.put(var.getName(), switch (field) {
                    case "status.podIP" -> ip;
                    case "metadata.name" -> pod.getMetadata().getName();
                    case "metadata.namespace" -> pod.getMetadata().getNamespace();
                    default -> throw new IllegalArgumentException("the test kubelet does not know field " + field);
                });
            } else {
                throw new IllegalArgumentException("the test kubelet cannot fill env " + var.getName());
            }
        }
        return env;
    }

    /** Pairs of node path and container path for {@code CONTAINER_SETUP}. */
    private static List<String> mounts(Pod pod, Container main, Path directory) throws IOException {
        List<String> pairs = new ArrayList<>();
        for (VolumeMount mount : main.getVolumeMounts() == null ? List.<VolumeMount>of() : main.getVolumeMounts()) {
            Volume volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no volume " + mount.getName()));
            Path source;
            if (volume.getHostPath() != null) {
                source = Path.of(volume.getHostPath().getPath());
            } else if (volume.getEmptyDir() != null) {
                source = directory.resolve("volumes").resolve(volume.getName());
            } else {
                throw new IllegalArgumentException("the test kubelet mounts hostPath and emptyDir volumes, not " + volume.getName());
            }
            if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
                source = source.resolve(mount.getSubPath());
            }
            if (!mount.getMountPath().startsWith("/opt/")) {
                // Outside the namespace's own /opt a mount point would be created on the node itself.
                throw new IllegalArgumentException("the test kubelet mounts under /opt only, not at " + mount.getMountPath());
            }
            Files.createDirectories(source);
            pairs.add(source.toAbsolutePath().toString());
            pairs.add(mount.getMountPath());
        }
        return pairs;
    }

    /** Kubernetes' expansion of command, args and env values: $(VAR) when VAR is defined, $$ to $, anything else as it is. */
    static String expand(String text, Map<String, String> env) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(1) == null ? "$"
                    : env.containsKey(matcher.group(1)) ? env.get(matcher.group(1)) : matcher.group();
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(expanded).toString();
    }

    /** {@code -Dkey=0.0.0.0}: all of the pod's addresses, which on this shared network is the pod's own. */
    private static String ownAddress(String word, String ip) {
        return word.startsWith("-D") && word.endsWith("=" + ALL_ADDRESSES)
                ? word.substring(0, word.length() - ALL_ADDRESSES.length()) + ip : word;
    }

    /** Every running pod's /etc/hosts: localhost, the pod itself, and each Service by its names at its selected pod. */
    private synchronized void writeHostsFiles() {
        Map<String, String> services = new LinkedHashMap<>();
        for (Service service : client.services().inNamespace(namespace).list().getItems()) {
            Map<String, String> selector = service.getSpec().getSelector();
            running.values().stream()
                    .filter(pod -> selector != null && pod.pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .findFirst()
                    .ifPresent(pod -> {
                        String name = service.getMetadata().getName();
                        services.put(name, String.join(" ", name, name + "." + namespace, name + "." + namespace + ".svc",
                                name + "." + namespace + ".svc.cluster.local") + "\t" + pod.ip);
                    });
        }
        for (Running pod : running.values()) {
            StringBuilder hosts = new StringBuilder("127.0.0.1\tlocalhost\n").append(pod.ip).append('\t')
                    .append(pod.pod.getMetadata().getName()).append('\n');
            services.values().forEach(line -> {
                String[] namesAndIp = line.split("\t");
                hosts.append(namesAndIp[1]).append('\t').append(namesAndIp[0]).append('\n');
            });
            try {
                // In place: the pod's bind mount holds this inode.
                Files.writeString(pod.hosts, hosts);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void awaitReadiness(String name, Probe probe, String ip) {
        while (true) {
            Running pod = running.get(name);
            if (pod == null || !pod.process.isAlive()) {
                return;
            }
            if (probe == null || passes(probe, ip)) {
                status(name, status -> {
                    status.getContainerStatuses().forEach(container -> container.setReady(true));
                    status.setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()));
                });
                return;
            }
            try {
                Thread.sleep(probe.getPeriodSeconds() == null ? 1000 : Math.min(1000, probe.getPeriodSeconds() * 1000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean passes(Probe probe, String ip) {
        try {
            if (probe.getHttpGet() != null) {
                int port = probe.getHttpGet().getPort().getIntVal();
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port
                        + probe.getHttpGet().getPath())).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                return response.statusCode() >= 200 && response.statusCode() < 400;
            }
            if (probe.getTcpSocket() != null) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(ip, probe.getTcpSocket().getPort().getIntVal()), 1000);
                    return true;
                }
            }
            throw new IllegalArgumentException("the test kubelet probes with HTTP GET or TCP only");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void exited(String name, Process process) {
        Running pod = running.get(name);
        if (pod == null || pod.process != process || deleted.contains(name)) {
            return; // deleted: the API has no pod to report on
        }
        int exitCode = process.exitValue();
        status(name, status -> {
            status.setPhase(exitCode == 0 ? "Succeeded" : "Failed");
            status.setContainerStatuses(List.of(new ContainerStatusBuilder().withName(pod.pod.getSpec().getContainers().get(0).getName())
                    .withReady(false).withState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode)
                            .withReason(exitCode == 0 ? "Completed" : "Error").withFinishedAt(Instant.now().toString()).endTerminated()
                            .build())
                    .build()));
        });
    }

    /** Stops a deleted pod's process; it counts as alive ({@link #alive()}) until it has ended. */
    private void stop(String name) {
        Running pod;
        synchronized (this) {
            pod = running.get(name);
        }
        if (pod == null || pod.process == null) {
            running.remove(name);
            return;
        }
        pod.process.destroy();
        try {
            if (!pod.process.waitFor(30, TimeUnit.SECONDS)) {
                pod.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pod.process.destroyForcibly();
        } finally {
            running.remove(name, pod);
        }
    }

    /** Changes the pod's status, unless the pod is gone or has ended (Succeeded, Failed): those are final. */
    private synchronized void status(String name, Consumer<PodStatus> change) {
        Pod current = client.pods().inNamespace(namespace).withName(name).get();
        if (current == null || current.getStatus() != null && ENDED.contains(current.getStatus().getPhase())) {
            return;
        }
        PodStatus status = current.getStatus() == null ? new PodStatus() : current.getStatus();
        change.accept(status);
        current.setStatus(status);
        client.pods().inNamespace(namespace).resource(current).updateStatus();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first == null ? List.of() : first);
        all.addAll(second == null ? List.of() : second);
        return all;
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        List.copyOf(running.keySet()).forEach(this::stop);
        workers.shutdownNow();
    }
}
