package dev.slipway.submission.reconcile;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Which job-submission instance reconciles: the one holding a PostgreSQL session advisory lock. The lock lives as long as its
 * connection, so an instance that dies or loses the database hands the lead over without anyone's help.
 */
@ApplicationScoped
public class ReconcilerLeadership {

    private static final Logger LOG = Logger.getLogger(ReconcilerLeadership.class);
    /** PostgreSQL advisory lock key of the leading reconciler ("slipway jobs"). */
    static final long LEADER_LOCK = 0x5_1177_0b05L;

    private final DataSource dataSource;
    private Connection leaderConnection;

    public ReconcilerLeadership(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether this instance leads now: keeps a lead it holds on a live connection, else tries to take it. */
    public synchronized boolean lead() {
        try {
            if (leaderConnection != null && leaderConnection.isValid(2)) {
                return true;
            }
            release();
            Connection connection = dataSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                lock.setLong(1, LEADER_LOCK);
                try (ResultSet locked = lock.executeQuery()) {
                    if (locked.next() && locked.getBoolean(1)) {
                        leaderConnection = connection;
                        LOG.info("job reconciler: this instance leads");
                        return true;
                    }
                }
            }
            connection.close();
            return false;
        } catch (SQLException e) {
            LOG.warnf("job reconciler: cannot take the lead: %s", e.toString());
            release();
            return false;
        }
    }

    public synchronized void release() {
        if (leaderConnection != null) {
            try (Connection connection = leaderConnection;
                    PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                // A pooled connection outlives close(): the lock is released explicitly.
                unlock.setLong(1, LEADER_LOCK);
                unlock.execute();
            } catch (SQLException ignored) {
                // gone already
            }
            leaderConnection = null;
        }
    }
}
