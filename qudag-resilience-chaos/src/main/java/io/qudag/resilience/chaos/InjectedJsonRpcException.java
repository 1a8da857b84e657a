package io.qudag.resilience.chaos;

/**
 * An injected JSON-RPC error (spec §5.1) where the MCP SDK is not on the classpath; with the SDK, the
 * MCP injectors throw the SDK's own {@code McpError} so that MCP outcome classifiers see the real thing.
 */
public class InjectedJsonRpcException extends InjectedFaultException {

    /** The JSON-RPC error code. */
    private final int code;

    /**
     * Creates the exception; the message names the injector and the code.
     *
     * @param injector the injector's name
     * @param code     the JSON-RPC error code
     * @param message  the error message
     */
    public InjectedJsonRpcException(String injector, int code, String message) {
        super(injector, "JSON-RPC error " + code + ": " + message);
        this.code = code;
    }

    /** {@return the JSON-RPC error code, e.g. -32603} */
    public int code() {
        return code;
    }
}
