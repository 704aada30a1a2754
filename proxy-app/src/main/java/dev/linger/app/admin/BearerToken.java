package dev.linger.app.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The {@code proxy.admin.token} rule for POST calls: none configured lets every call through; otherwise
 * the request needs {@code Authorization: Bearer <token>}.
 */
final class BearerToken {

    /** What a request's {@code Authorization} header amounts to. */
    enum Verdict {
        /** No token is configured, or the request carries the right one. */
        ALLOWED,
        /** No bearer credentials at all: 401. */
        MISSING,
        /** Bearer credentials that are not the token: 403. */
        WRONG
    }

    private static final String SCHEME = "bearer ";

    private final byte[] expectedDigest;

    /** @param token the configured token; empty means POST calls need none */
    BearerToken(String token) {
        this.expectedDigest = token.isEmpty() ? null : sha256(token);
    }

    Verdict check(String authorization) {
        if (expectedDigest == null) {
            return Verdict.ALLOWED;
        }
        // The scheme is case-insensitive (RFC 7235); anything but Bearer is as good as no header.
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return Verdict.MISSING;
        }
        String presented = authorization.substring(SCHEME.length()).strip();
        // Digests of equal length, compared in constant time: neither the token's bytes nor its length
        // can be learned from how long a wrong guess takes.
        return MessageDigest.isEqual(expectedDigest, sha256(presented)) ? Verdict.ALLOWED : Verdict.WRONG;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
