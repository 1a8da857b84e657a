package io.qudag.resilience.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Lets the payload-corruption injector (spec §5.1 {@code payload_manipulation}) see a result as JSON
 * and turn damaged JSON back into a result. A codec returns {@code null} from {@link #toJson} for a
 * result it cannot read; that result passes unharmed.
 *
 * @param <R> the result type
 */
public interface PayloadCodec<R> {

    /**
     * {@return the result as a JSON tree, or {@code null}}
     *
     * @param result the result
     */
    JsonNode toJson(R result);

    /**
     * {@return a result from a (damaged) tree}
     *
     * @param json the (damaged) tree
     */
    R fromJson(JsonNode json);

    /**
     * {@return a result from damaged JSON text that no longer parses (truncation); the default gives up on
     * truncation and passes {@code original} on}
     *
     * @param text     the truncated text
     * @param original the undamaged result
     */
    default R fromTruncatedText(String text, R original) {
        return original;
    }

    /**
     * Results that are JSON trees.
     *
     * @return the codec
     */
    static PayloadCodec<JsonNode> tree() {
        return new PayloadCodec<>() {
            @Override
            public JsonNode toJson(JsonNode result) {
                return result;
            }

            @Override
            public JsonNode fromJson(JsonNode json) {
                return json;
            }

            @Override
            public JsonNode fromTruncatedText(String text, JsonNode original) {
                return TextNode.valueOf(text);
            }
        };
    }

    /**
     * Results that are JSON text; truncation yields the cut text.
     *
     * @param mapper parses and writes the JSON
     * @return the codec
     */
    static PayloadCodec<String> text(ObjectMapper mapper) {
        return new PayloadCodec<>() {
            @Override
            public JsonNode toJson(String result) {
                try {
                    return result == null ? null : mapper.readTree(result);
                } catch (java.io.IOException e) {
                    return null; // not JSON: nothing to corrupt
                }
            }

            @Override
            public String fromJson(JsonNode json) {
                return json.toString();
            }

            @Override
            public String fromTruncatedText(String text, String original) {
                return text;
            }
        };
    }
}
