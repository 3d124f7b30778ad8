package dev.bulwark.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether something answers on a port of this machine (the run.sh suite's services, a target). */
public final class LocalPorts {

    private LocalPorts() {
    }

    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
