package io.qudag.resilience.chaos.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qudag.resilience.chaos.CorruptionMode;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The corruptor damages a copy, exactly as its mode says, and never the original. */
class JsonCorruptorProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode object(Map<String, Integer> numbers, String text) {
        ObjectNode o = JSON.createObjectNode();
        numbers.forEach(o::put);
        o.put("text", text);
        o.putArray("list").add(1).add(2).add(3);
        return o;
    }

    private static int fields(JsonNode n) {
        int count = n.isObject() ? n.size() : 0;
        for (JsonNode child : n) {
            count += fields(child);
        }
        return count;
    }

    @Property(tries = 50)
    void dropField_removesExactlyOneField(@ForAll @Size(max = 6) Map<@AlphaChars @StringLength(min = 1, max = 5) String,
            @IntRange(max = 1000) Integer> numbers, @ForAll @StringLength(min = 2, max = 20) String text,
            @ForAll long seed) {
        ObjectNode original = object(numbers, text);
        String before = original.toString();
        JsonNode damaged = JsonCorruptor.corrupt(original, CorruptionMode.DROP_FIELD, new SeededRandom(seed));
        assertThat(fields(damaged)).isEqualTo(fields(original) - 1);
        assertThat(original.toString()).isEqualTo(before);
    }

    @Property(tries = 50)
    void changeType_keepsTheShape_butChangesAValue(@ForAll @Size(max = 6) Map<@AlphaChars @StringLength(min = 1, max = 5) String,
            @IntRange(max = 1000) Integer> numbers, @ForAll @StringLength(min = 2, max = 20) String text,
            @ForAll long seed) {
        ObjectNode original = object(numbers, text);
        JsonNode damaged = JsonCorruptor.corrupt(original, CorruptionMode.CHANGE_TYPE, new SeededRandom(seed));
        assertThat(damaged).isNotEqualTo(original);
        assertThat(damaged.size()).isEqualTo(original.size());
    }

    @Property(tries = 50)
    void truncatedText_isAStrictPrefix(@ForAll @StringLength(min = 2, max = 200) String text, @ForAll long seed) {
        String cut = JsonCorruptor.truncate(text, new SeededRandom(seed));
        assertThat(text).startsWith(cut);
        assertThat(cut.length()).isLessThan(text.length());
    }

    @Property(tries = 30)
    void sameSeed_sameDamage(@ForAll @StringLength(min = 2, max = 20) String text, @ForAll long seed) {
        ObjectNode original = object(Map.of("a", 1, "b", 2), text);
        for (CorruptionMode mode : CorruptionMode.values()) {
            assertThat(JsonCorruptor.corrupt(original, mode, new SeededRandom(seed)))
                    .isEqualTo(JsonCorruptor.corrupt(original, mode, new SeededRandom(seed)));
        }
    }
}
