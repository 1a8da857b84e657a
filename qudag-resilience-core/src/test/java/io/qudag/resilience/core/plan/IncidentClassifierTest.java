package io.qudag.resilience.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.health.HealthGrade;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import org.junit.jupiter.api.Test;

class IncidentClassifierTest {

    private final IncidentClassifier classifier = IncidentClassifier.defaults();

    @Test
    void oneEndpointDownIsLevelOneAndTheWholeServiceIsLevelTwo() {
        classifier.accept(IncidentSignal.endpointUp("a", "search", "eu"));
        classifier.accept(IncidentSignal.endpointUp("b", "search", "eu"));
        classifier.accept(IncidentSignal.endpointUp("c", "other", "eu"));
        Classification one = classifier.accept(IncidentSignal.endpointDown("a", "search", "eu"));
        assertThat(one.level()).isEqualTo(DisasterLevel.COMPONENT_FAILURE);
        assertThat(one.newFailure()).isTrue();
        assertThat(classifier.accept(IncidentSignal.endpointDown("a", "search", "eu")).newFailure())
                .as("a repeated failure is not new").isFalse();
        Classification two = classifier.accept(IncidentSignal.endpointDown("b", "search", "eu"));
        assertThat(two.level()).isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
        assertThat(two.reasons().get(0)).contains("service search");
        Classification three = classifier.accept(IncidentSignal.endpointDown("c", "other", "eu"));
        assertThat(three.level()).as("every endpoint of region eu down").isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        assertThat(classifier.accept(IncidentSignal.endpointUp("a", "search", "eu")).level())
                .isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
    }

    @Test
    void breakerLevelsMapToDisasterLevels() {
        BreakerPath region = BreakerPath.global().child(BreakerLevel.REGIONAL, "eu");
        BreakerPath service = region.child(BreakerLevel.SERVICE, "search");
        assertThat(classifier.accept(IncidentSignal.breakerOpened(service, null)).level())
                .isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
        assertThat(classifier.accept(IncidentSignal.breakerOpened(region, null)).level())
                .isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        assertThat(classifier.accept(IncidentSignal.breakerOpened(BreakerPath.global().child(BreakerLevel.REGIONAL, "us"), null))
                .level()).as("two regions out").isEqualTo(DisasterLevel.GLOBAL_CATASTROPHE);
        classifier.clear();
        assertThat(classifier.accept(IncidentSignal.breakerOpened(BreakerPath.global(), null)).level())
                .isEqualTo(DisasterLevel.GLOBAL_CATASTROPHE);
        assertThat(classifier.accept(IncidentSignal.breakerClosed(BreakerPath.global())).level()).isNull();
    }

    @Test
    void tiersHealthAndJournalFollowTheirRules() {
        classifier.accept(IncidentSignal.tierAvailable(FailoverTier.LOCAL));
        assertThat(classifier.accept(IncidentSignal.tierPartitioned(FailoverTier.REGIONAL)).level())
                .isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        assertThat(classifier.accept(IncidentSignal.tierPartitioned(FailoverTier.LOCAL)).level())
                .as("every known tier out").isEqualTo(DisasterLevel.GLOBAL_CATASTROPHE);
        classifier.clear();
        assertThat(classifier.accept(IncidentSignal.health("a", HealthGrade.POOR)).level()).isNull();
        Classification critical = classifier.accept(IncidentSignal.health("a", HealthGrade.CRITICAL));
        assertThat(critical.level()).isEqualTo(DisasterLevel.COMPONENT_FAILURE);
        assertThat(critical.newFailure()).isTrue();
        assertThat(classifier.accept(IncidentSignal.journalCorrupted("j", "crc mismatch at 42")).level())
                .isEqualTo(DisasterLevel.SERVICE_DISRUPTION);
    }

    @Test
    void rulesAreConfigurableAndValidated() {
        IncidentClassifier c = IncidentClassifier.builder().breakerLevel(BreakerLevel.APPLICATION, null)
                .rule(failing -> failing.size() >= 3 ? DisasterLevel.REGIONAL_DISASTER : null).build();
        BreakerPath svc = BreakerPath.global().child(BreakerLevel.SERVICE, "s");
        assertThat(c.accept(IncidentSignal.breakerOpened(svc.child(BreakerLevel.APPLICATION, "t"), null)).level()).isNull();
        c.accept(IncidentSignal.endpointDown("x", null, null));
        assertThat(c.accept(IncidentSignal.endpointDown("y", null, null)).level()).isEqualTo(DisasterLevel.REGIONAL_DISASTER);
        assertThatThrownBy(() -> IncidentClassifier.builder().regionsOutForGlobal(0).build())
                .hasMessage("regionsOutForGlobal must be >= 1, was 0");
    }
}
