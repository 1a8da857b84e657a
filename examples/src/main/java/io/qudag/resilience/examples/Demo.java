package io.qudag.resilience.examples;

/** Placeholder; replaced by the pipeline demo. */
public final class Demo {
    public static void main(String[] args) {
        System.out.println("QuDAG Resilience demo");
    }
}
