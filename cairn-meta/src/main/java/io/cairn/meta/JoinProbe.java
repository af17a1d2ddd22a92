package io.cairn.meta;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a first start that bootstraps a new cluster from one that joins a running cluster. A node
 * without Raft state asks the other listed peers for their Raft configuration; when one answers with a
 * configuration that does not include this node, the cluster is running and this node is joining.
 *
 * <p>Why it matters: a joining node that started with the static peer list as its own configuration
 * would count itself a voter and campaign against a group that does not know it; a voter that does not
 * know the candidate answers that it should shut down, and Ratis then closes the node's metadata
 * replica (seen in a benchmark run). Started with
 * the running configuration plus itself as a listener, it never campaigns; it waits until the leader
 * adds it (see RaftMembership in cairn-server), and then takes whatever role the leader's configuration
 * gives it.
 */
final class JoinProbe {
  private static final Logger LOG = LoggerFactory.getLogger(JoinProbe.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(12);

  private JoinProbe() {}

  /**
   * The running cluster's voters (id -> address) when this node is joining; empty when bootstrapping.
   * Asks every other peer at once and takes the first definitive answer: a peer that is down refuses
   * at once, while a peer of a busy running cluster may take seconds, so the wait is generous but only
   * spent when some peer is up and slow.
   */
  static Optional<Map<Integer, String>> runningConfiguration(MetaConfig config) {
    RaftGroup group = RaftSettings.group(config);
    java.util.concurrent.CompletionService<Answer> answers =
        new java.util.concurrent.ExecutorCompletionService<>(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    int asked = 0;
    for (RaftPeer peer : group.getPeers()) {
      if (RaftSettings.nodeId(peer.getId()) != config.selfId()) {
        answers.submit(() -> ask(group, peer.getId()));
        asked++;
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> silent = new ArrayList<>();
    for (int i = 0; i < asked; i++) {
      Answer a;
      try {
        var f = answers.poll(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        if (f == null) {
          break;
        }
        a = f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        continue;
      }
      if (a.members().isEmpty()) {
        silent.add("node " + RaftSettings.nodeId(a.peer()) + ": " + a.error());
        continue;
      }
      return decide(config, a);
    }
    LOG.info("node {}: no peer reported a running Raft group ({}); starting with the listed peers (bootstrap)",
        config.selfId(), silent.isEmpty() ? "no answer within " + WAIT.toSeconds() + " s" : String.join("; ", silent));
    return Optional.empty();
  }

  private static Optional<Map<Integer, String>> decide(MetaConfig config, Answer a) {
    if (a.members().containsKey(config.selfId())) {
      return Optional.empty(); // a bootstrap peer, or a member whose state was lost: start as listed
    }
    LOG.info("node {}: node {} reports a running cluster with members {} that does not include this node yet: "
        + "joining", config.selfId(), RaftSettings.nodeId(a.peer()), a.members().keySet());
    return Optional.of(a.members());
  }

  /** One peer's answer: the members of its Raft group (id -> address; empty when none), or why there are none. */
  private record Answer(RaftPeerId peer, Map<Integer, String> members, String error) {}

  private static Answer ask(RaftGroup group, RaftPeerId peer) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, RaftSettings.millis(ASK_TIMEOUT));
    try (RaftClient client = RaftClient.newBuilder().setRaftGroup(group).setProperties(p)
        .setRetryPolicy(RetryPolicies.noRetry()).build()) {
      GroupInfoReply reply = client.getGroupManagementApi(peer).info(RaftSettings.GROUP_ID);
      if (!reply.isSuccess()) {
        return new Answer(peer, Map.of(), String.valueOf(reply.getException()));
      }
      // The group of the reply is the peer's current configuration (getConf() is not filled in by 3.1.3).
      Map<Integer, String> members = new java.util.TreeMap<>();
      for (RaftPeer member : reply.getGroup().getPeers()) {
        members.put(RaftSettings.nodeId(member.getId()), member.getAddress());
      }
      reply.getConf().ifPresent(c -> {
        for (RaftPeerProto l : c.getListenersList()) {
          members.put(RaftSettings.nodeId(RaftPeerId.valueOf(l.getId())), l.getAddress());
        }
      });
      return new Answer(peer, members, members.isEmpty() ? "empty group" : "");
    } catch (IOException | RuntimeException e) {
      return new Answer(peer, Map.of(), e.toString());
    }
  }
}
