package dev.linger.proxy;

/** The proxy could not start; the message is one operator-readable line. */
public final class ProxyStartException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProxyStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
