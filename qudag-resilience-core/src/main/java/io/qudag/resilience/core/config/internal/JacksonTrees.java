package io.qudag.resilience.core.config.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.qudag.resilience.core.config.ConfigException;

/** Parses JSON or YAML text into plain maps, lists and scalars with Jackson (an optional dependency of core). */
public final class JacksonTrees {

    private JacksonTrees() {
    }

    public static Object parse(String text, boolean yaml, String source) {
        ObjectMapper mapper;
        try {
            mapper = yaml ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("reading " + (yaml ? "YAML" : "JSON") + " configuration needs "
                    + (yaml ? "com.fasterxml.jackson.dataformat:jackson-dataformat-yaml" : "com.fasterxml.jackson.core:jackson-databind")
                    + " on the classpath (an optional dependency of qudag-resilience-core)", e);
        }
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            return mapper.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException("", source + ": not valid " + (yaml ? "YAML" : "JSON") + where + ": " + e.getOriginalMessage(), e);
        }
    }
}
