package dev.linger.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** What a peer observes on a real socket: bytes, and how the stream ended (FIN or RST). */
public final class Wire {

    private Wire() {
    }

    /** How a stream ended as seen by its reader. */
    public enum End {
        /** read() returned -1. */
        FIN,
        /** read() threw "Connection reset". */
        RST
    }

    /** Everything read from a stream until its end. */
    public record Received(long bytes, String sha256, End end) {
    }

    /** Reads until FIN or RST, hashing what arrives. */
    public static Received readToEnd(InputStream in) throws IOException {
        return readToEnd(in, 64 * 1024);
    }

    /**
     * Reads until FIN or RST in reads of at most {@code readBytes}, hashing what arrives: a reader that
     * takes small pieces, as a slow client does.
     */
    public static Received readToEnd(InputStream in, int readBytes) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[readBytes];
        long total = 0;
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                total += n;
            }
        } catch (SocketException e) {
            if (e.getMessage() != null && e.getMessage().contains("Connection reset")) {
                return new Received(total, hex(digest), End.RST);
            }
            throw e;
        }
        return new Received(total, hex(digest), End.FIN);
    }

    /** Writes {@code count} pseudo-random bytes from {@code seed} and returns their SHA-256. */
    public static String writeRandom(OutputStream out, long count, long seed) throws IOException {
        MessageDigest digest = sha256();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[64 * 1024];
        long left = count;
        while (left > 0) {
            int n = (int) Math.min(chunk.length, left);
            random.nextBytes(chunk);
            out.write(chunk, 0, n);
            digest.update(chunk, 0, n);
            left -= n;
        }
        out.flush();
        return hex(digest);
    }

    /** The SHA-256 of what {@link #writeRandom} writes for the same arguments. */
    public static String randomDigest(long count, long seed) {
        try {
            return writeRandom(OutputStream.nullOutputStream(), count, seed);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads until EOF and returns how many bytes came. */
    public static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
        }
        return total;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
