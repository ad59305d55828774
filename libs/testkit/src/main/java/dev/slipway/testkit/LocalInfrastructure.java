package dev.slipway.testkit;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded Kafka broker, PostgreSQL and ZooKeeper (Flink's high availability) as a plain process for the local
 * platform: {@code java ... dev.slipway.testkit.LocalInfrastructure <state-dir> <kafka-port> <postgres-port> <zookeeper-port>}.
 * Data lives under the state directory and survives a restart. Prints one line per server, then
 * {@code READY}, and runs until it is stopped.
 */
public final class LocalInfrastructure {

    private LocalInfrastructure() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path state = Path.of(args.length > 0 ? args[0] : ".slipway");
        int kafkaPort = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
        int postgresPort = args.length > 2 ? Integer.parseInt(args[2]) : 5432;
        int zooKeeperPort = args.length > 3 ? Integer.parseInt(args[3]) : 2181;

        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.at(state.resolve("kafka"), kafkaPort, 0).start();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.at(state.resolve("postgres"), postgresPort).start();
        EmbeddedZooKeeperServer zooKeeper = EmbeddedZooKeeperServer.at(state.resolve("zookeeper"), zooKeeperPort).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            zooKeeper.stop();
            postgres.stop();
            kafka.stop();
            stopped.countDown();
        }, "stop-local-infrastructure"));

        System.out.println("kafka " + kafka.bootstrapServers());
        System.out.println("postgres " + postgres.endpoint().jdbcUrl());
        System.out.println("zookeeper " + zooKeeper.connectString());
        System.out.println("READY");
        stopped.await();
    }
}
