package io.qudag.resilience.chaos.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.Fault;
import io.qudag.resilience.chaos.disk.FaultyFileChannelFactory.DiskFault;
import io.qudag.resilience.core.spi.FileChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultyFileChannelFactoryTest {

    @TempDir
    Path dir;

    private final ChaosSwitch armed = ChaosSwitch.create("disk", n -> "true");
    private static final Set<StandardOpenOption> RW = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.READ);

    private FaultyFileChannelFactory factory() {
        armed.enable();
        return new FaultyFileChannelFactory(FileChannelFactory.standard(), armed, 7);
    }

    private static byte[] data() {
        byte[] b = new byte[4096];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void offByDefault_passesEverythingThrough_withRealFsync() throws IOException {
        Path f = dir.resolve("a");
        try (FileChannel ch = factory().open(f, RW)) {
            ch.write(ByteBuffer.wrap(data()));
            ch.force(true);
        }
        assertThat(Files.readAllBytes(f)).isEqualTo(data());
    }

    @Test
    void failWrites_andFailForce_throwIOException() throws Exception {
        FaultyFileChannelFactory factory = factory();
        try (FileChannel ch = factory.open(dir.resolve("b"), RW)) {
            Fault fault = factory.fault("disk-fail", 1.0, DiskFault.FAIL_WRITES, DiskFault.FAIL_FORCE);
            fault.inject();
            assertThatThrownBy(() -> ch.write(ByteBuffer.wrap(data()))).isInstanceOf(IOException.class)
                    .hasMessageContaining("injected write failure");
            assertThatThrownBy(() -> ch.force(true)).hasMessageContaining("injected force failure");
            fault.heal();
            assertThat(ch.write(ByteBuffer.wrap(data()))).isEqualTo(4096);
        }
        assertThat(factory.injected()).isEqualTo(2);
    }

    @Test
    void corruptWrites_flipExactlyOneByteOnDisk_theCallerSeesSuccess() throws Exception {
        FaultyFileChannelFactory factory = factory();
        Path f = dir.resolve("c");
        factory.activate(1.0, DiskFault.CORRUPT_WRITES);
        ByteBuffer src = ByteBuffer.wrap(data());
        try (FileChannel ch = factory.open(f, RW)) {
            assertThat(ch.write(src)).isEqualTo(4096);
            assertThat(src.hasRemaining()).isFalse();
        }
        byte[] onDisk = Files.readAllBytes(f);
        int differing = 0;
        for (int i = 0; i < onDisk.length; i++) {
            differing += onDisk[i] != data()[i] ? 1 : 0;
        }
        assertThat(differing).isEqualTo(1);
    }

    @Test
    void corruptReads_andFailReads() throws Exception {
        FaultyFileChannelFactory factory = factory();
        Path f = dir.resolve("d");
        Files.write(f, data());
        try (FileChannel ch = factory.open(f, Set.of(StandardOpenOption.READ))) {
            factory.activate(1.0, DiskFault.CORRUPT_READS);
            ByteBuffer dst = ByteBuffer.allocate(4096);
            ch.read(dst, 0);
            assertThat(dst.array()).isNotEqualTo(data());
            factory.activate(1.0, DiskFault.FAIL_READS);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(10), 0)).isInstanceOf(IOException.class);
            factory.deactivate();
            ByteBuffer clean = ByteBuffer.allocate(4096);
            ch.read(clean, 0);
            assertThat(clean.array()).isEqualTo(data());
        }
    }

    @Test
    void withChaosOff_activeFaultsDoNothing() throws Exception {
        ChaosSwitch off = ChaosSwitch.create("off", n -> null);
        FaultyFileChannelFactory factory = new FaultyFileChannelFactory(FileChannelFactory.standard(), off, 1);
        factory.activate(1.0, DiskFault.FAIL_WRITES);
        try (FileChannel ch = factory.open(dir.resolve("e"), RW)) {
            assertThat(ch.write(ByteBuffer.wrap(data()))).isEqualTo(4096);
        }
        assertThat(factory.fault("f", 1.0, DiskFault.FAIL_WRITES).inject()).isFalse();
    }

    @Test
    void badArguments() {
        FaultyFileChannelFactory factory = factory();
        assertThatThrownBy(() -> factory.activate(2.0, DiskFault.FAIL_READS))
                .hasMessage("rate must be between 0 and 1, was 2.0");
        assertThatThrownBy(() -> factory.activate(0.5)).hasMessage("faults must name at least one DiskFault, was none");
    }
}
