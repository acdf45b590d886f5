import java.io.*;
import java.net.*;

/** Tiny line-echo server for the container smoke test: replies "<name> <line>". */
public class Echo {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(host, port));
            System.out.println("listening on " + host + ":" + port);
            while (true) {
                Socket s = server.accept();
                Thread.startVirtualThread(() -> {
                    try (s; var in = new BufferedReader(new InputStreamReader(s.getInputStream()));
                         var out = new PrintWriter(s.getOutputStream(), true)) {
                        String line;
                        while ((line = in.readLine()) != null) out.println(host + " " + line);
                    } catch (IOException ignored) {
                    }
                });
            }
        }
    }
}
