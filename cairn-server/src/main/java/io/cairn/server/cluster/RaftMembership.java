package io.cairn.server.cluster;

import io.cairn.common.CairnException;
import io.cairn.common.NodeInfo;
import io.cairn.common.NodeState;
import io.cairn.meta.MetaStore;
import io.cairn.meta.RaftMembers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Raft group in step with the node registry, on the leader only (one decision-maker):
 *
 * <ul>
 *   <li><b>Join.</b> A node that registered (its first metadata write went through its own Raft
 *       client to the leader) but is not in the Raft configuration is added: as a <b>voter</b> while the
 *       group has fewer voters than {@link #desiredVoters}, otherwise as a <b>listener</b>, which
 *       receives the whole log (so it reads metadata locally and can be promoted later) but never counts
 *       towards the quorum, so writes do not slow down as the cluster grows.
 *   <li><b>Promotion.</b> When voters are fewer than desired (the cluster grew to 5, or a voter left),
 *       ALIVE listeners are promoted, lowest id first.
 *   <li><b>Leave.</b> A DECOMMISSIONED node that no chunk lists any more (healing drained it) is
 *       removed from the Raft configuration first, then from the registry.
 * </ul>
 *
 * One configuration change per round; Ratis makes new members catch up with the log before the change
 * commits. Voters are never demoted automatically: a cluster bootstrapped with 4 static voters keeps
 * them, since shrinking a quorum while a node may be down only lowers fault tolerance.
 */
public final class RaftMembership {
  private static final Logger log = LoggerFactory.getLogger(RaftMembership.class);

  private final MetaStore meta;
  private final ClusterMap cluster;

  public RaftMembership(MetaStore meta, ClusterMap cluster) {
    this.meta = meta;
    this.cluster = cluster;
  }

  /** 3 voters up to 4 nodes, 5 from 5 nodes on: odd, so every voter adds fault tolerance. */
  public static int desiredVoters(int members) {
    return members >= 5 ? 5 : Math.min(members, 3);
  }

  public void tick() {
    if (!meta.isLeader()) {
      return;
    }
    RaftMembers current = meta.raftMembers();
    if (current.changing() || current.voters().isEmpty()) {
      return; // a change is still in progress, or the configuration is not known yet
    }
    List<NodeInfo> nodes = cluster.nodes();
    try {
      if (!removeDrained(nodes, current)) {
        addAndPromote(nodes, current);
      }
    } catch (CairnException e) {
      log.info("Raft membership change postponed: {}", e.getMessage());
    }
  }

  /** Handles one drained node; true when it changed something (one change per round). */
  private boolean removeDrained(List<NodeInfo> nodes, RaftMembers current) {
    List<NodeInfo> decommissioned = nodes.stream().filter(n -> n.state() == NodeState.DECOMMISSIONED).toList();
    if (decommissioned.isEmpty()) {
      return false;
    }
    ReplicaCensus census = ReplicaCensus.take(meta);
    for (NodeInfo n : decommissioned) {
      long left = census.chunksOn(n.id());
      if (left > 0) {
        log.debug("node {} is decommissioned; {} chunk(s) still list it", n.id(), left);
        continue;
      }
      if (current.contains(n.id())) {
        Map<Integer, String> voters = new TreeMap<>(current.voters());
        Map<Integer, String> listeners = new TreeMap<>(current.listeners());
        boolean wasVoter = voters.remove(n.id()) != null;
        listeners.remove(n.id());
        if (wasVoter && voters.isEmpty()) {
          log.warn("node {} is the last Raft voter; it stays in the group", n.id());
          continue;
        }
        promote(nodes, voters, listeners);
        log.info("node {} is drained: removing it from the Raft group ({}); voters {} listeners {}", n.id(),
            wasVoter ? "voter" : "listener", voters.keySet(), listeners.keySet());
        meta.setRaftMembers(voters, listeners);
        return true;
      }
      meta.removeNode(n.id());
      log.info("node {} is drained and out of the Raft group: removed from the node registry", n.id());
      return true;
    }
    return false;
  }

  private void addAndPromote(List<NodeInfo> nodes, RaftMembers current) {
    Map<Integer, String> voters = new TreeMap<>(current.voters());
    Map<Integer, String> listeners = new TreeMap<>(current.listeners());
    int members = (int) nodes.stream().filter(n -> n.state() != NodeState.DECOMMISSIONED).count();
    int desired = desiredVoters(members);
    StringBuilder why = new StringBuilder();
    for (NodeInfo n : nodes) {
      if (n.state() == NodeState.DECOMMISSIONED || current.contains(n.id())) {
        continue;
      }
      // A joining node cannot heartbeat before it is in the group (it does not know the leader yet), so
      // it may already be SUSPECT or DEAD: it joins as a listener then, which cannot hurt the quorum.
      if (voters.size() < desired && n.state() == NodeState.ALIVE) {
        voters.put(n.id(), n.raftAddress());
        why.append(" node ").append(n.id()).append(" joins as a voter;");
      } else {
        listeners.put(n.id(), n.raftAddress());
        why.append(" node ").append(n.id()).append(" joins as a listener (").append(voters.size())
            .append(n.state() == NodeState.ALIVE ? " voters suffice);" : " voters; not heard from yet);");
      }
    }
    int before = voters.size();
    promote(nodes, voters, listeners);
    if (voters.size() > before) {
      why.append(" listener(s) promoted to reach ").append(voters.size()).append(" voters;");
    }
    if (voters.equals(current.voters()) && listeners.equals(current.listeners())) {
      return;
    }
    log.info("Raft membership ({} member node(s), {} voters wanted):{} voters {} listeners {}", members, desired,
        why, voters.keySet(), listeners.keySet());
    meta.setRaftMembers(voters, listeners);
  }

  /** Moves ALIVE listeners to the voters, lowest id first, until there are as many voters as desired. */
  private static void promote(List<NodeInfo> nodes, Map<Integer, String> voters, Map<Integer, String> listeners) {
    int members = (int) nodes.stream().filter(n -> n.state() != NodeState.DECOMMISSIONED).count();
    int desired = desiredVoters(members);
    for (NodeInfo n : nodes) {
      if (voters.size() >= desired) {
        return;
      }
      if (n.state() == NodeState.ALIVE && listeners.containsKey(n.id())) {
        voters.put(n.id(), listeners.remove(n.id()));
      }
    }
  }
}
