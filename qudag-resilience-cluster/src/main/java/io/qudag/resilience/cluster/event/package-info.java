/** Events of the Raft group: applied entries, leader changes, membership changes (spec §1.2). */
package io.qudag.resilience.cluster.event;
