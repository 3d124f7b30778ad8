package dev.bulwark.worker.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.Container;
import dev.bulwark.worker.container.config.DockerEngine;
import dev.bulwark.worker.container.domain.ContainerSpecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The example container app of {@code examples/busybox-app}, built on the local engine FROM scratch with the
 * host's static busybox: nothing is pulled. Tests that need the engine fail — they do not skip — when it is absent.
 */
public final class ExampleApp {

    public static final String IMAGE = "bulwark-example/busybox-app:test";
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    /** When this test JVM started, in the engine's unit (epoch seconds), rounded down. */
    private static final long STARTED_SECONDS = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000;

    private ExampleApp() {
    }

    /** The local engine; fails the test with what to do when none answers. */
    public static DockerEngine requireEngine() {
        DockerEngine engine = new DockerEngine(Optional.empty());
        DockerEngine.Probe probe = engine.probe();
        assertThat(probe.up())
                .as("these tests need a Docker engine at %s (%s): start one with deploy/local/infra.sh up --docker",
                        engine.host(), probe.detail())
                .isTrue();
        return engine;
    }

    /** Builds the example image (once per engine; the build is cached) and returns its tag. */
    public static synchronized String build(DockerEngine engine) {
        assertThat(BUSYBOX).as("the example app needs a static busybox: apt-get install busybox-static").isRegularFile();
        try {
            Path context = Files.createTempDirectory("bulwark-example-app-");
            Path example = Path.of("examples", "busybox-app");
            for (String file : List.of("Dockerfile", "app.sh")) {
                Files.copy(example.resolve(file), context.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(BUSYBOX, context.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
            engine.control().buildImageCmd(context.toFile()).withTags(Set.of(IMAGE)).withPull(false)
                    .exec(new BuildImageResultCallback()).awaitImageId(120, TimeUnit.SECONDS);
            return IMAGE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Containers that the agent of this name labelled and that still exist. */
    public static List<Container> leftBehindBy(DockerEngine engine, String agent) {
        return engine.control().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerSpecs.LABEL_AGENT, agent)).exec();
    }

    /**
     * Containers that any Bulwark agent labelled since this test JVM started and that still exist. Older ones are
     * another run's (the engine is shared), not this run's to answer for.
     */
    public static List<Container> leftBehind(DockerEngine engine) {
        return engine.control().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(ContainerSpecs.LABEL_AGENT)).exec().stream()
                .filter(container -> container.getCreated() >= STARTED_SECONDS).toList();
    }
}
