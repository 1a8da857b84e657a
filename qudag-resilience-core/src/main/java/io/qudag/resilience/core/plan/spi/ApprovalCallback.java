package io.qudag.resilience.core.plan.spi;

import io.qudag.resilience.core.hierarchy.ApprovalDecision;
import io.qudag.resilience.core.plan.ApprovalRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asked before a manual recovery procedure runs (spec §4.3, multi-level approval). The answer may
 * come later: APPROVED runs the step, DENIED fails it and escalates the incident, HOLD keeps it
 * waiting. Without an answer before the plan's approval timeout the step fails and the incident
 * escalates. Operators may also answer through {@code DisasterRecoveryPlan.approve/deny}.
 */
@FunctionalInterface
public interface ApprovalCallback {

    /**
     * Asks for approval; called on the plan's executor.
     *
     * @param request the step waiting, its incident and its deadline
     * @return completes with the decision; left incomplete, the approval timeout decides
     */
    CompletionStage<ApprovalDecision> request(ApprovalRequest request);

    /**
     * Leaves every decision to an operator calling the plan's approve or deny.
     *
     * @return a callback whose answers never complete on their own
     */
    static ApprovalCallback operator() {
        return request -> new CompletableFuture<>();
    }
}
