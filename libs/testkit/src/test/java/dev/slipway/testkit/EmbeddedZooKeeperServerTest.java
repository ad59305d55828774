package dev.slipway.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperServerTest {

    @Test
    void keepsItsDataAcrossARestart(@TempDir Path dir) throws Exception {
        try (EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.at(dir.resolve("zk"), 0).start()) {
            ZooKeeper client = connect(server, 10_000);
            client.create("/slipway", "clusters".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            client.close();
            server.stop();
            server.start();
            ZooKeeper again = connect(server, 10_000);
            assertThat(new String(again.getData("/slipway", false, null), StandardCharsets.UTF_8)).isEqualTo("clusters");
            again.close();
        }
    }

    /** Flink's leader election rests on this: a client's ephemeral node goes once its session expires, at the time it asked for. */
    @Test
    void grantsShortSessionsAndEndsThemWhenTheClientIsGone(@TempDir Path dir) throws Exception {
        try (EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.at(dir.resolve("zk"), 0).start()) {
            ZooKeeper leader = connect(server, 2_000);
            assertThat(leader.getSessionTimeout()).isEqualTo(2_000);
            leader.create("/leader", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            ZooKeeper follower = connect(server, 10_000);
            assertThat(follower.exists("/leader", false)).isNotNull();
            // A session that stops sending (as a killed process does) is ended by the server: here, its client closes it.
            leader.close();
            await("the leader's node gone").atMost(Duration.ofSeconds(10)).until(() -> follower.exists("/leader", false) == null);
            follower.close();
        }
    }

    private static ZooKeeper connect(EmbeddedZooKeeperServer server, int sessionMillis) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client = new ZooKeeper(server.connectString(), sessionMillis, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(10, TimeUnit.SECONDS)).as("connected to ZooKeeper").isTrue();
        return client;
    }
}
