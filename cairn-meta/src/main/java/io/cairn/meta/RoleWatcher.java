package io.cairn.meta;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.server.DivisionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells {@link RaftListener}s and the log about leadership, and works around what Ratis 3.1.3 does not
 * report. Ratis calls {@code notifyLeaderChanged} only when a leader becomes known: it has no hook for
 * "leader lost" nor for "this node became a candidate". Those are found by polling this node's role and
 * term ({@link #poll}, every 50 ms; the values are local fields, so polling is cheap):
 *
 * <ul>
 *   <li>leader lost: a leader was known and now none is; reported as {@code leaderChanged(0, term)}.
 *   <li>election started: the role is CANDIDATE, or this node became leader of a term it was not seen
 *       campaigning for (elections in a 3-node group often finish between two polls). The term reported
 *       is the one campaigned for: with pre-vote a candidate first asks at its old term, so that is
 *       term + 1 until the term has actually been raised. Best effort: a pre-vote that fails is reported
 *       although no term change follows, and one campaign is reported once.
 * </ul>
 */
final class RoleWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(RoleWatcher.class);

  private final int selfId;
  private final List<RaftListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Supplier<DivisionInfo> info = () -> null;
  private int lastLeader;
  private long settledTerm;
  private long reportedCampaign;

  RoleWatcher(int selfId) {
    this.selfId = selfId;
  }

  void attach(Supplier<DivisionInfo> divisionInfo) {
    this.info = divisionInfo;
  }

  void addListener(RaftListener l) {
    listeners.add(l);
  }

  /** Ratis learned of a leader (possibly this node). */
  synchronized void leaderKnown(int leader) {
    DivisionInfo d = info.get();
    long term = d == null ? 0 : d.getCurrentTerm();
    if (leader == selfId) {
      campaign(term);
      LOG.info("node {}: elected leader for term {}", selfId, term);
    } else {
      LOG.info("node {}: leader is now node {} (term {})", selfId, leader, term);
    }
    lastLeader = leader;
    settledTerm = Math.max(settledTerm, term);
    notifyListeners(l -> l.leaderChanged(leader, term));
  }

  synchronized void poll() {
    DivisionInfo d;
    try {
      d = info.get();
    } catch (RuntimeException e) {
      return; // the server is starting or stopping; the next poll will see
    }
    if (d == null) {
      return;
    }
    long term = d.getCurrentTerm();
    RaftPeerRole role = d.getCurrentRole();
    if (role == RaftPeerRole.CANDIDATE) {
      campaign(term > settledTerm ? term : term + 1);
    } else {
      if (role == RaftPeerRole.LEADER) {
        campaign(term);
      }
      settledTerm = Math.max(settledTerm, term);
    }
    if (lastLeader != 0 && d.getLeaderId() == null) {
      LOG.info("node {}: lost leader node {} (term {})", selfId, lastLeader, term);
      lastLeader = 0;
      notifyListeners(l -> l.leaderChanged(0, term));
    }
  }

  private void campaign(long term) {
    if (term > reportedCampaign) {
      reportedCampaign = term;
      LOG.info("node {}: started an election for term {}", selfId, term);
      notifyListeners(l -> l.electionStarted(term));
    }
  }

  /** Forwards an applied overwrite/delete to the listeners. */
  void fileVersionRemoved(io.cairn.common.FileRecord removed) {
    notifyListeners(l -> l.fileVersionRemoved(removed));
  }

  private void notifyListeners(Consumer<RaftListener> call) {
    for (RaftListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("node {}: a Raft listener failed", selfId, e);
      }
    }
  }
}
