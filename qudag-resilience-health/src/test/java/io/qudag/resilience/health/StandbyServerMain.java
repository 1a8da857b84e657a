package io.qudag.resilience.health;

import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.ServerWarmup;
import io.qudag.resilience.mcp.testing.TestTools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A child-JVM MCP SDK server (streamable HTTP on 127.0.0.1, the test tools) that can return within a
 * second of its predecessor's SIGKILL: {@code <port> [standby]}. With {@code standby} it first warms
 * its code on a scratch server (a cold JVM answers its first calls far slower than a restarted
 * production server whose load balancer waits for it), prints {@code READY} and waits for a line on
 * stdin before it binds {@code port}; without, it binds at once. It prints {@code PORT <n>} once it serves, and runs until killed.
 */
public final class StandbyServerMain {

    private StandbyServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        boolean standby = args.length > 1 && "standby".equals(args[1]);
        TestTools tools = new TestTools();
        if (standby) {
            try (SdkHttpServer scratch = SdkHttpServer.start(0, tools.specs())) {
                ServerWarmup.warm(scratch.url());
            }
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        SdkHttpServer server = SdkHttpServer.start(port, tools.specs());
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
