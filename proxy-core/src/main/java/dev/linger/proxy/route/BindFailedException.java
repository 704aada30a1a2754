package dev.linger.proxy.route;

/** A route's listener could not bind; the message is one operator-readable line. */
public final class BindFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    BindFailedException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
