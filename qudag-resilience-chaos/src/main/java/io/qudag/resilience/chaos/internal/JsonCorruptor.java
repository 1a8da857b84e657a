package io.qudag.resilience.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.qudag.resilience.chaos.CorruptionMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Damages a copy of a JSON tree: drops a field, changes a value's type, or cuts a string or array. */
public final class JsonCorruptor {

    private JsonCorruptor() {
    }

    /**
     * A damaged deep copy of {@code json}, or {@code null} when this mode finds nothing to damage (a
     * scalar for DROP_FIELD).
     */
    public static JsonNode corrupt(JsonNode json, CorruptionMode mode, SeededRandom random) {
        JsonNode copy = json.deepCopy();
        switch (mode) {
            case DROP_FIELD: {
                List<ObjectNode> objects = new ArrayList<>();
                collect(copy, objects, ObjectNode.class);
                objects.removeIf(o -> o.size() == 0);
                if (objects.isEmpty()) {
                    return null;
                }
                ObjectNode target = objects.get(random.nextInt(objects.size()));
                List<String> names = new ArrayList<>();
                target.fieldNames().forEachRemaining(names::add);
                target.remove(names.get(random.nextInt(names.size())));
                return copy;
            }
            case CHANGE_TYPE: {
                if (!copy.isContainerNode()) {
                    return changed(copy);
                }
                List<Slot> slots = new ArrayList<>();
                slots(copy, slots);
                if (slots.isEmpty()) {
                    return null;
                }
                slots.get(random.nextInt(slots.size())).replace();
                return copy;
            }
            default: {
                if (copy.isTextual()) {
                    String s = copy.asText();
                    return TextNode.valueOf(s.substring(0, s.length() / 2));
                }
                List<JsonNode> cuttable = new ArrayList<>();
                collect(copy, cuttable, JsonNode.class);
                cuttable.removeIf(n -> !(n.isArray() && n.size() > 0) && !(n.isTextual() && n.asText().length() > 1));
                if (cuttable.isEmpty()) {
                    return null;
                }
                JsonNode target = cuttable.get(random.nextInt(cuttable.size()));
                if (target.isArray()) {
                    ArrayNode a = (ArrayNode) target;
                    int keep = a.size() / 2;
                    while (a.size() > keep) {
                        a.remove(a.size() - 1);
                    }
                    return copy;
                }
                List<Slot> slots = new ArrayList<>();
                slots(copy, slots);
                for (Slot slot : slots) {
                    if (slot.value() == target) {
                        String s = target.asText();
                        slot.set(TextNode.valueOf(s.substring(0, s.length() / 2)));
                    }
                }
                return copy;
            }
        }
    }

    /** {@code text} cut to a random length below its own (at least one character shorter). */
    public static String truncate(String text, SeededRandom random) {
        if (text.length() <= 1) {
            return "";
        }
        return text.substring(0, 1 + random.nextInt(text.length() - 1));
    }

    private static JsonNode changed(JsonNode v) {
        if (v.isNumber()) {
            return TextNode.valueOf(v.asText());
        }
        if (v.isTextual()) {
            return IntNode.valueOf(v.asText().length());
        }
        if (v.isBoolean()) {
            return TextNode.valueOf(v.asText());
        }
        if (v.isNull()) {
            return BooleanNode.FALSE;
        }
        return TextNode.valueOf(v.toString()); // a container becomes its text
    }

    private static <T extends JsonNode> void collect(JsonNode n, List<T> out, Class<T> type) {
        if (type.isInstance(n)) {
            out.add(type.cast(n));
        }
        if (n instanceof ContainerNode) {
            for (JsonNode child : n) {
                collect(child, out, type);
            }
        }
    }

    private static void slots(JsonNode n, List<Slot> out) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                out.add(new Slot(o, e.getKey(), -1, e.getValue()));
                slots(e.getValue(), out);
            }
        } else if (n.isArray()) {
            ArrayNode a = (ArrayNode) n;
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(a, null, i, a.get(i)));
                slots(a.get(i), out);
            }
        }
    }

    private record Slot(JsonNode parent, String field, int index, JsonNode value) {
        void replace() {
            set(changed(value));
        }

        void set(JsonNode v) {
            if (field != null) {
                ((ObjectNode) parent).set(field, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }
    }
}
