package dev.slipway.logagent.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which file this is, whatever its name: its inode plus a fingerprint of its first line. The inode
 * follows a rename (rotation); the fingerprint tells a reused inode, or a file truncated and written
 * anew, from the file that was there before (Flink's first line carries a millisecond timestamp).
 */
public record FileIdentity(long inode, String fingerprint) {

    /** The fingerprint covers the first line, or this many bytes when the first line is longer. */
    static final int FINGERPRINT_BYTES = 1024;

    @Override
    public String toString() {
        return inode + "/" + fingerprint;
    }

    /**
     * The fingerprint of what the channel holds now, or null when the file has no complete first line
     * yet (it cannot be told apart from its successor until it has).
     */
    static String fingerprint(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(FINGERPRINT_BYTES);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, buffer.position());
            if (n <= 0) {
                break;
            }
        }
        byte[] bytes = buffer.array();
        int length = -1;
        for (int i = 0; i < buffer.position(); i++) {
            if (bytes[i] == '\n') {
                length = i + 1;
                break;
            }
        }
        if (length < 0) {
            if (buffer.position() < FINGERPRINT_BYTES) {
                return null;
            }
            length = FINGERPRINT_BYTES;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, length);
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
