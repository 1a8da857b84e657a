package io.qudag.resilience.core.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BreakerPathTest {

    @Test
    void parsesAndPrintsPaths() {
        BreakerPath p = BreakerPath.parse("global/region:eu-west/service:search-mcp/tool:web_search");
        assertThat(p.level()).isEqualTo(BreakerLevel.APPLICATION);
        assertThat(p.id()).isEqualTo("web_search");
        assertThat(p.idAt(BreakerLevel.REGIONAL)).isEqualTo("eu-west");
        assertThat(p.idAt(BreakerLevel.INFRASTRUCTURE)).isNull();
        assertThat(p.parent()).hasToString("global/region:eu-west/service:search-mcp");
        assertThat(BreakerPath.global().isAncestorOf(p)).isTrue();
        assertThat(p.isAncestorOf(p)).isFalse();
        assertThat(p).isEqualTo(BreakerPath.global().child(BreakerLevel.REGIONAL, "eu-west")
                .child(BreakerLevel.SERVICE, "search-mcp").child(BreakerLevel.APPLICATION, "web_search"));
        assertThat(BreakerPath.global().parent()).isNull();
    }

    @Test
    void rejectsMalformedPaths() {
        assertThatThrownBy(() -> BreakerPath.parse("region:eu")).hasMessage("path must start with \"global\", was \"region:eu\"");
        assertThatThrownBy(() -> BreakerPath.parse("global/planet:mars"))
                .hasMessageContaining("was \"planet:mars\"");
        assertThatThrownBy(() -> BreakerPath.parse("global/service:a/region:eu"))
                .hasMessage("level must be below SERVICE, was REGIONAL in global/service:a");
        assertThatThrownBy(() -> BreakerPath.global().child(BreakerLevel.SERVICE, " "))
                .hasMessage("service id must be non-blank without '/', was \" \"");
    }

    @Test
    void standardResolverDerivesFiveLevelsFromATollCall() {
        PathResolver r = PathResolver.standard(Map.of("search-1", "eu-west"), "default");
        ToolCall full = ToolCall.builder("web_search").endpointId("search-1").serviceId("search-mcp").build();
        assertThat(r.resolve(full)).hasToString("global/region:eu-west/infra:search-1/service:search-mcp/tool:web_search");
        ToolCall unmapped = ToolCall.builder("t").endpointId("other").build();
        assertThat(r.resolve(unmapped)).hasToString("global/region:default/infra:other/service:other/tool:t");
        assertThat(PathResolver.standard(Map.of(), null).resolve(ToolCall.builder("t").build()))
                .hasToString("global/tool:t");
        assertThat(r.resolve(null)).isEqualTo(BreakerPath.global());
    }

    @Test
    void aCallThatNamesOnlyAServiceFindsItsRegionByServiceId() {
        PathResolver r = PathResolver.standard(Map.of("search-primary", "eu-west"), null);
        ToolCall plain = ToolCall.builder("web_search").serviceId("search-primary").build();
        assertThat(r.resolve(plain)).hasToString("global/region:eu-west/service:search-primary/tool:web_search");
        ToolCall viaEndpoint = ToolCall.builder("web_search").endpointId("search-primary").serviceId("search").build();
        assertThat(r.resolve(viaEndpoint)).hasToString("global/region:eu-west/infra:search-primary/service:search/tool:web_search");
    }

    @Test
    void theRegionMapIsChecked() {
        assertThatThrownBy(() -> PathResolver.standard(null, null)).hasMessageContaining("regions must not be null");
        assertThatThrownBy(() -> PathResolver.standard(Map.of("eu-1", " "), null))
                .hasMessage("regions must map non-blank ids to non-blank regions, was \"eu-1\" -> \" \"");
        assertThatThrownBy(() -> PathResolver.standard(Map.of(), ""))
                .hasMessage("defaultRegion must be null or non-blank, was \"\"");
    }

    @Test
    void badHierarchyConfigurationFailsInBuildNamingFieldAndValue() {
        assertThatThrownBy(() -> BreakerHierarchyConfig.builder().regionalServiceThreshold(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("regionalServiceThreshold must be >= 1, was 0");
        assertThatThrownBy(() -> BreakerHierarchyConfig.builder().regionalEscalationOpenDuration(Duration.ZERO).build())
                .hasMessage("regionalEscalationOpenDuration must be a positive duration, was PT0S");
        assertThatThrownBy(() -> BreakerHierarchyConfig.builder().regionalSustainedOpen(Duration.ofMinutes(-5)).build())
                .hasMessage("regionalSustainedOpen must be a positive duration, was PT-5M");
        assertThatThrownBy(() -> BreakerHierarchyConfig.builder()
                .regionalSustainedOpen(ChronoUnit.FOREVER.getDuration()).build())
                .hasMessage("regionalSustainedOpen must be at most PT876000H (100 years), was "
                        + "PT2562047788015215H30M7.999999999S");
        assertThatThrownBy(() -> BreakerHierarchyConfig.builder().cascadeWindow(Duration.ofDays(50_000)).build())
                .hasMessage("cascadeWindow must be at most PT876000H (100 years), was PT1200000H");
        assertThatThrownBy(() -> BreakerHierarchyConfig.builder().cascadeRegionThreshold(1).build())
                .hasMessage("cascadeRegionThreshold must be >= 2, was 1");
        assertThatThrownBy(() -> BreakerHierarchyConfig.builder().recoveryStageInterval(null).build())
                .hasMessage("recoveryStageInterval must be a positive duration, was null");
        assertThatThrownBy(() -> BreakerHierarchyConfig.builder().levelConfig(BreakerLevel.SERVICE, null).build())
                .hasMessage("levelConfigs.service must not be null, was null");
        assertThatThrownBy(() -> BreakerHierarchy.builder().clock(null).build())
                .hasMessage("clock must not be null, was null");
        BreakerHierarchyConfig d = BreakerHierarchyConfig.defaults();
        assertThat(d.regionalServiceThreshold()).isEqualTo(3);
        assertThat(d.regionalEscalationOpenDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.regionalSustainedOpen()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void idsWithSlashesBecomeSegmentsOfTheirOwnAndACallWithThemIsGuarded() {
        BreakerHierarchy h = BreakerHierarchy.builder()
                .pathResolver(PathResolver.standard(Map.of("http://10.0.0.1:8080/mcp", "eu/west"), null)).build();
        ToolCall call = ToolCall.builder("files/read").endpointId("http://10.0.0.1:8080/mcp").serviceId("org/search")
                .build();
        ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("p").breaker(h).build();
        assertThat(pipeline.executeToolCall(call, c -> "ok")).isEqualTo("ok");
        BreakerPath path = h.pathFor(call).path();
        assertThat(path).hasToString("global/region:eu%2Fwest/infra:http:%2F%2F10.0.0.1:8080%2Fmcp"
                + "/service:org%2Fsearch/tool:files%2Fread");
        assertThat(BreakerPath.parse(path.toString())).isEqualTo(path);
        assertThat(path.idAt(BreakerLevel.SERVICE)).isEqualTo("org%2Fsearch");
        assertThat(BreakerPath.escapeId("a%2Fb")).as("escaped ids stay distinct from raw ones")
                .isEqualTo("a%252Fb").isNotEqualTo(BreakerPath.escapeId("a/b"));
        assertThat(BreakerPath.escapeId("plain-id")).isEqualTo("plain-id");
    }

    @Test
    void aResolverThatFailsLeavesTheCallToTheGlobalBreakerInsteadOfFailingItAndIsAskedAgainNextTime() {
        AtomicBoolean broken = new AtomicBoolean(true);
        BreakerHierarchy flaky = BreakerHierarchy.builder().pathResolver(call -> {
            if (broken.get()) {
                throw new IllegalStateException("region lookup briefly unavailable");
            }
            return BreakerPath.global().child(BreakerLevel.SERVICE, call.serviceId());
        }).build();
        BreakerHierarchy returningNull = BreakerHierarchy.builder().pathResolver(call -> null).build();
        ToolCall call = ToolCall.builder("search").serviceId("s").build();
        for (BreakerHierarchy h : new BreakerHierarchy[] {flaky, returningNull}) {
            ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("p").breaker(h).build();
            assertThat(pipeline.executeToolCall(call, c -> "ok")).isEqualTo("ok");
            assertThat(h.pathFor(call).path()).isEqualTo(BreakerPath.global());
        }
        broken.set(false);
        assertThat(flaky.pathFor(call).path()).as("the fallback route was not cached").hasToString("global/service:s");
        assertThatThrownBy(() -> flaky.addListener(null)).hasMessage("listener must not be null, was null");
        assertThatThrownBy(() -> AdaptiveCircuitBreaker.ofDefaults("b").addListener(null))
                .hasMessage("listener must not be null, was null");
    }

    @Test
    void twoHierarchiesOnOneRegistryKeepTheirBreakerMetersApart() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BreakerHierarchy search = BreakerHierarchy.builder().name("search").meterRegistry(registry).build();
        BreakerHierarchy mail = BreakerHierarchy.builder().name("mail").meterRegistry(registry).build();
        search.node(BreakerPath.global()).transitionToForcedOpen();
        mail.node(BreakerPath.global());
        assertThat(registry.get("qudag.resilience.breaker.state").tag("name", "global").tag("hierarchy", "search")
                .gauge().value()).isEqualTo(BreakerState.FORCED_OPEN.code());
        assertThat(registry.get("qudag.resilience.breaker.state").tag("name", "global").tag("hierarchy", "mail")
                .gauge().value()).isEqualTo(BreakerState.CLOSED.code());
        assertThatThrownBy(() -> AdaptiveCircuitBreaker.builder("b").tags(Tags.of("name", "x")).build())
                .hasMessage("tags must not hold null or a 'name' tag (the breaker's name), was [tag(name=x)]");
    }

    @Test
    void madeUpToolNamesDoNotGrowTheHierarchyBeyondItsChildCap() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BreakerHierarchy h = BreakerHierarchy.builder().meterRegistry(registry)
                .config(BreakerHierarchyConfig.builder().maxChildrenPerNode(5).build()).build();
        ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("p").breaker(h).build();
        for (int i = 0; i < 100; i++) {
            ToolCall call = ToolCall.builder("made_up_" + i).serviceId("s").build();
            assertThat(pipeline.executeToolCall(call, c -> "ok")).isEqualTo("ok");
        }
        assertThat(registry.find("qudag.resilience.breaker.state").gauges()).as("global, service:s, 5 tools")
                .hasSize(7);
        assertThat(registry.get("qudag.resilience.hierarchy.truncated").counter().count()).isEqualTo(95);
        assertThat(h.pathFor(ToolCall.builder("made_up_99").serviceId("s").build()).path())
                .as("guarded by its service").hasToString("global/service:s");
        assertThat(h.pathFor(ToolCall.builder("made_up_4").serviceId("s").build()).path())
                .hasToString("global/service:s/tool:made_up_4");
        assertThatThrownBy(() -> BreakerHierarchyConfig.builder().maxChildrenPerNode(0).build())
                .hasMessage("maxChildrenPerNode must be >= 1, was 0");
    }
}
