package dev.linger.proxy.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class RefusingPortTest {

    @Test
    void refusesConnectsAndKeepsItsPortFromOtherSockets() throws Exception {
        try (RefusingPort refusing = RefusingPort.open()) {
            assertThatThrownBy(() -> new Socket("127.0.0.1", refusing.port()).close())
                    .isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> new ServerSocket(refusing.port(), 1, InetAddress.getLoopbackAddress()).close())
                    .as("held: a listener cannot take the port meanwhile").isInstanceOf(BindException.class);
        }
    }
}
