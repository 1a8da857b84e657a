package io.qudag.resilience.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FaultAllTest {

    private final ChaosSwitch armed = ChaosSwitch.create("all", n -> "true");
    private final List<String> trace = new CopyOnWriteArrayList<>();

    private Fault traced(String name) {
        return Fault.of(name, FaultKind.NETWORK, name, armed, () -> trace.add("inject " + name),
                () -> trace.add("heal " + name));
    }

    @Test
    void injectsInOrder_healsInReverse_andHealIsIdempotent() throws Exception {
        armed.enable();
        Fault all = Fault.all("tier", armed, List.of(traced("a"), traced("b")));
        assertThat(all.inject()).isTrue();
        all.heal();
        all.heal();
        assertThat(trace).containsExactly("inject a", "inject b", "heal b", "heal a");
        assertThat(all.description()).isEqualTo("a + b");
    }

    @Test
    void aFailingMember_healsThoseAlreadyInjected() throws Exception {
        armed.enable();
        Fault broken = Fault.of("x", FaultKind.NETWORK, "x", armed, () -> {
            throw new java.io.IOException("cannot");
        }, () -> trace.add("heal x"));
        Fault all = Fault.all("tier", armed, List.of(traced("a"), broken));
        assertThatThrownBy(all::inject).hasMessage("cannot");
        assertThat(trace).containsExactly("inject a", "heal a");
        assertThat(all.injected()).isFalse();
    }

    @Test
    void emptyIsRefused() {
        assertThatThrownBy(() -> Fault.all("t", armed, List.of())).hasMessage("faults must not be empty, was []");
    }
}
