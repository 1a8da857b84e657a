package io.qudag.resilience.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.McpOutcomes;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

class LivenessTransportTest {

    /** A transport that records what is sent and lets the test play the server. */
    static final class StubTransport implements McpClientTransport {
        final List<McpSchema.JSONRPCMessage> sent = new CopyOnWriteArrayList<>();
        Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
        volatile RuntimeException failSends;
        /** Delivered to the client just before a send fails (a stream that began, then broke). */
        volatile McpSchema.JSONRPCMessage beforeFailing;

        @Override
        public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> h) {
            this.handler = h;
            return Mono.empty();
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            if (failSends != null) {
                McpSchema.JSONRPCMessage m = beforeFailing;
                if (m != null) {
                    serverSends(m);
                }
                return Mono.error(failSends);
            }
            sent.add(message);
            return Mono.empty();
        }

        void serverSends(McpSchema.JSONRPCMessage m) {
            handler.apply(Mono.just(m)).block();
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return null;
        }
    }

    private final StubTransport stub = new StubTransport();
    private final List<McpSchema.JSONRPCMessage> received = new CopyOnWriteArrayList<>();
    private final List<Throwable> connectionErrors = new CopyOnWriteArrayList<>();
    private long now = 1_000;
    private LivenessTransport transport;

    @BeforeEach
    void setUp() {
        transport = new LivenessTransport("ep", stub, () -> now, connectionErrors::add);
        transport.connect(in -> in.doOnNext(received::add)).block();
    }

    private void sendCall(Object id, CallHandle handle) {
        transport.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_TOOLS_CALL, id,
                Map.of("name", "t"))).contextWrite(Context.of(LivenessTransport.CALL_KEY, handle)).block();
    }

    private McpSchema.JSONRPCResponse.JSONRPCError errorReceivedFor(Object id) {
        return received.stream().filter(m -> m instanceof McpSchema.JSONRPCResponse r && id.equals(r.id()))
                .map(m -> ((McpSchema.JSONRPCResponse) m).error()).findFirst().orElseThrow();
    }

    @Test
    void abandonAtDeadline_completesThePendingRequestAndTellsTheServer() {
        CallHandle handle = new CallHandle(Duration.ofMillis(300));
        sendCall("c-1", handle);
        assertThat(handle.requestId()).isEqualTo("c-1");
        assertThat(transport.inFlightCount()).isEqualTo(1);

        assertThat(handle.abandon(McpOutcomes.REQUEST_TIMEOUT, "deadline of PT0.3S exceeded")).isTrue();

        McpSchema.JSONRPCResponse.JSONRPCError error = errorReceivedFor("c-1");
        assertThat(error.code()).isEqualTo(McpOutcomes.REQUEST_TIMEOUT);
        assertThat(LivenessTransport.isSynthetic(error.data())).isTrue();
        assertThat(stub.sent).last().isInstanceOfSatisfying(McpSchema.JSONRPCNotification.class, n -> {
            assertThat(n.method()).isEqualTo("notifications/cancelled");
            assertThat(n.params()).isEqualTo(Map.of("requestId", "c-1", "reason", "deadline of PT0.3S exceeded"));
        });
        assertThat(transport.inFlightCount()).isZero();
        assertThat(handle.abandon(McpOutcomes.REQUEST_TIMEOUT, "again")).as("only once").isFalse();
    }

    @Test
    void answeredRequestIsNoLongerPending() {
        CallHandle handle = new CallHandle(Duration.ofSeconds(1));
        sendCall(7, handle);
        stub.serverSends(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, 7, Map.of(), null));
        assertThat(transport.inFlightCount()).isZero();
        assertThat(handle.abandon(McpOutcomes.REQUEST_TIMEOUT, "late")).isFalse();
        assertThat(stub.sent).hasSize(1);
    }

    @Test
    void failAllPending_failsEveryInFlightRequest_andNoCancelIsSentToADeadPeer() {
        CallHandle a = new CallHandle(Duration.ofSeconds(1));
        sendCall("a", a);
        sendCall("b", new CallHandle(Duration.ofSeconds(1)));
        transport.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, "ping", "p", null)).block();

        assertThat(transport.failAllPending("ping failed")).isEqualTo(3);

        assertThat(errorReceivedFor("a").code()).isEqualTo(McpOutcomes.CONNECTION_CLOSED);
        assertThat(errorReceivedFor("b").message()).isEqualTo("ping failed");
        assertThat(transport.isSuspect()).isTrue();
        int sentBefore = stub.sent.size();
        // a call that took the session just before the suspicion and reaches the transport after the sweep
        CallHandle late = new CallHandle(Duration.ofSeconds(1));
        sendCall("c", late);
        assertThat(errorReceivedFor("c").code()).as("failed at once").isEqualTo(McpOutcomes.CONNECTION_CLOSED);
        assertThat(late.notSent()).as("and known not to have been sent").isTrue();
        transport.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, "ping", "p2", null)).block();
        assertThat(stub.sent).as("pings still go out: they are the proof of life").hasSize(sentBefore + 1)
                .noneMatch(m -> m instanceof McpSchema.JSONRPCNotification);

        now = 5_000;
        stub.serverSends(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/message", null));
        assertThat(transport.isSuspect()).as("any message proves the peer alive").isFalse();
        assertThat(transport.lastHeardNanos()).isEqualTo(5_000);
        CallHandle d = new CallHandle(Duration.ofSeconds(1));
        sendCall("d", d);
        d.abandon(McpOutcomes.REQUEST_TIMEOUT, "deadline");
        assertThat(stub.sent).as("once heard, calls are sent again, and cancelled like any call to a live peer")
                .hasSize(sentBefore + 3)
                .anyMatch(m -> m instanceof McpSchema.JSONRPCRequest r && "d".equals(r.id()))
                .anyMatch(m -> m instanceof McpSchema.JSONRPCNotification n && "notifications/cancelled".equals(n.method()));
    }

    @Test
    void ioErrorOnSend_isReportedAsConnectionError() {
        stub.failSends = new RuntimeException(new ConnectException("refused"));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> sendCall("x", new CallHandle(Duration.ofSeconds(1))));
        assertThat(t).hasRootCauseInstanceOf(ConnectException.class);
        assertThat(connectionErrors).hasSize(1);
        assertThat(transport.inFlightCount()).isZero();
        stub.failSends = new IllegalStateException("not an I/O error");
        org.assertj.core.api.Assertions.catchThrowable(() -> sendCall("y", new CallHandle(Duration.ofSeconds(1))));
        assertThat(connectionErrors).hasSize(1);
    }

    @Test
    void silence_countsFromTheFirstUnansweredRequest_andResetsOnEveryMessage() {
        assertThat(transport.silenceNanos(now + 10_000)).as("nothing outstanding").isZero();
        now = 2_000;
        sendCall("s1", new CallHandle(Duration.ofSeconds(1)));
        now = 3_000;
        sendCall("s2", new CallHandle(Duration.ofSeconds(1)));
        assertThat(transport.silenceNanos(4_000)).as("since the first request after quiet").isEqualTo(2_000);
        now = 4_500;
        stub.serverSends(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/progress", null));
        assertThat(transport.silenceNanos(5_000)).as("a notification resets the clock").isEqualTo(500);
        stub.serverSends(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, "s1", Map.of(), null));
        stub.serverSends(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, "s2", Map.of(), null));
        assertThat(transport.silenceNanos(9_000)).as("everything answered").isZero();
    }

    @Test
    void aMessageWhileSuspected_isReportedOnce_evenAnErrorReply() {
        java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
        LivenessTransport t = new LivenessTransport("ep", stub, () -> now, connectionErrors::add, heard::incrementAndGet);
        t.connect(in -> in).block();
        stub.serverSends(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/message", null));
        assertThat(heard).as("not suspected: nothing to report").hasValue(0);
        t.markSuspect();
        stub.serverSends(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, "ping-1", null,
                new McpSchema.JSONRPCResponse.JSONRPCError(-32601, "Method not found", null)));
        stub.serverSends(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/message", null));
        assertThat(heard).as("a -32601 reply to the ping proves liveness, reported once").hasValue(1);
    }

    @Test
    void refusedBeforeAnythingCameBack_isNotSent_butAfterAMessageItIsUnknown() {
        stub.failSends = new RuntimeException(new ConnectException("refused"));
        CallHandle refused = new CallHandle(Duration.ofSeconds(1));
        org.assertj.core.api.Assertions.catchThrowable(() -> sendCall("r1", refused));
        assertThat(refused.notSent()).isTrue();

        // the SDK's refused reconnect after a streamed answer had begun: something came back after the send
        stub.beforeFailing = new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/progress", null);
        stub.failSends = new RuntimeException(new ConnectException("refused on reconnect"));
        CallHandle streamed = new CallHandle(Duration.ofSeconds(1));
        org.assertj.core.api.Assertions.catchThrowable(() -> sendCall("r2", streamed));
        assertThat(streamed.notSent()).as("only the transport's own send failure can prove it").isFalse();
    }
}
