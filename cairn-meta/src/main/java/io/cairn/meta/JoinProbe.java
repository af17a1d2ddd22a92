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
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
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
 * would count itself a voter and campaign (with pre-vote, harmlessly, but noisily) against a group that
 * does not know it. Started with the running configuration, which excludes it, Ratis keeps it waiting
 * until the leader adds it (see RaftMembership in cairn-server), and then it takes whatever role the
 * leader's configuration gives it.
 */
final class JoinProbe {
  private static final Logger LOG = LoggerFactory.getLogger(JoinProbe.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

  private JoinProbe() {}

  /** The running cluster's voters (id -> address) when this node is joining; empty when bootstrapping. */
  static Optional<Map<Integer, String>> runningConfiguration(MetaConfig config) {
    RaftGroup group = RaftSettings.group(config);
    for (RaftPeer peer : group.getPeers()) {
      if (RaftSettings.nodeId(peer.getId()) == config.selfId()) {
        continue;
      }
      Optional<RaftConfigurationProto> conf = ask(group, peer.getId());
      if (conf.isEmpty()) {
        continue;
      }
      List<RaftPeerProto> members = new ArrayList<>(conf.get().getPeersList());
      members.addAll(conf.get().getListenersList());
      boolean includesSelf = members.stream()
          .anyMatch(p -> RaftSettings.nodeId(RaftPeerId.valueOf(p.getId())) == config.selfId());
      if (includesSelf) {
        return Optional.empty(); // a bootstrap peer, or a member whose state was lost: start as listed
      }
      Map<Integer, String> voters = new java.util.TreeMap<>();
      for (RaftPeerProto p : conf.get().getPeersList()) {
        voters.put(RaftSettings.nodeId(RaftPeerId.valueOf(p.getId())), p.getAddress());
      }
      LOG.info("node {}: node {} reports a running cluster with voters {} that does not include this node yet: "
          + "joining", config.selfId(), RaftSettings.nodeId(peer.getId()), voters);
      return Optional.of(voters);
    }
    return Optional.empty();
  }

  private static Optional<RaftConfigurationProto> ask(RaftGroup group, RaftPeerId peer) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, RaftSettings.millis(ASK_TIMEOUT));
    try (RaftClient client = RaftClient.newBuilder().setRaftGroup(group).setProperties(p)
        .setRetryPolicy(RetryPolicies.noRetry()).build()) {
      GroupInfoReply reply = client.getGroupManagementApi(peer).info(RaftSettings.GROUP_ID);
      return reply.isSuccess() ? reply.getConf() : Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.debug("node {} did not report its Raft configuration: {}", peer, e.toString());
      return Optional.empty();
    }
  }
}
