package io.cairn.meta;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The one place that turns a {@link MetaConfig} into Ratis settings, and the reasons for each.
 *
 * <ul>
 *   <li><b>Transport: gRPC.</b> The Netty transport was seen to hang after a leader stop.
 *   <li><b>Election timeout 1-2 s by default (MetaConfig).</b> With Ratis' 150-300 ms a SIGKILLed leader
 *       was replaced in 0.7-1.3 s, but when a just-restarted, lagging peer was part of the quorum the
 *       cluster stalled 9-14 s in repeated elections; 1-2 s gave 2.7-4.2 s failovers and no stalls. The
 *       first election after start uses the same range (Ratis' own default there is 150-300 ms), so a
 *       restarted node does not campaign before it has heard from the current leader.
 *   <li><b>Pre-vote on.</b> A node that was partitioned or restarted asks whether it could win before
 *       raising the term, so it cannot depose a healthy leader by merely coming back.
 *   <li><b>Linearizable reads with leader lease.</b> Reads use Raft read-index, so a read observes every
 *       write that completed before it. With the lease, a leader that heard from a majority within
 *       0.9 x the minimum election timeout answers from its own state without another round trip;
 *       no other leader can have been elected in that window as long as clocks advance at similar rates
 *       (no synchronisation needed), which is a far weaker assumption than the latency it saves.
 *   <li><b>Snapshots every {@code snapshotEveryEntries}, 2 kept; log purged up to the snapshot but
 *       keeping the last {@code snapshotEveryEntries} entries.</b> Purging up to the snapshot even when
 *       a peer lags keeps the log bounded while a node is down for long (that peer then receives the
 *       snapshot); the preserved tail lets a node that was away briefly catch up from the log instead.
 *       No snapshot on shutdown: RocksDB already holds the state, so it would only slow a stop.
 *   <li><b>8 MiB log segments, 8 MiB write buffer.</b> Small enough that purging frees space soon after
 *       a snapshot; an entry must fit the write buffer, and {@link RatisMetaStore} refuses larger ops.
 * </ul>
 */
final class RaftSettings {
  static final RaftGroupId GROUP_ID =
      RaftGroupId.valueOf(UUID.nameUUIDFromBytes("cairn-meta".getBytes(StandardCharsets.UTF_8)));
  static final SizeInBytes WRITE_BUFFER = SizeInBytes.valueOf("8MB");
  /** Largest encoded op accepted; well inside the log write buffer and the gRPC message limit. */
  static final int MAX_OP_BYTES = 4 << 20;

  private RaftSettings() {}

  static RaftPeerId peerId(int nodeId) {
    return RaftPeerId.valueOf(Integer.toString(nodeId));
  }

  static int nodeId(RaftPeerId id) {
    try {
      return Integer.parseInt(id.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static RaftGroup group(MetaConfig c) {
    List<RaftPeer> peers = new ArrayList<>();
    for (Map.Entry<Integer, String> e : c.peers().entrySet()) {
      peers.add(RaftPeer.newBuilder().setId(peerId(e.getKey())).setAddress(e.getValue()).build());
    }
    return RaftGroup.valueOf(GROUP_ID, peers);
  }

  static RaftProperties server(MetaConfig c) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    GrpcConfigKeys.Server.setHost(p, c.bindHost());
    GrpcConfigKeys.Server.setPort(p, port(c.peers().get(c.selfId())));
    RaftServerConfigKeys.setStorageDir(p, List.of(c.dir().resolve("raft").toFile()));

    TimeDuration min = millis(c.electionTimeoutMin());
    TimeDuration max = millis(c.electionTimeoutMax());
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, min);
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, max);
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, min);
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, max);
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);

    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
    RaftServerConfigKeys.Read.setTimeout(p, millis(c.requestTimeout()));

    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, c.snapshotEveryEntries());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, c.snapshotEveryEntries());
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, Math.max(1, c.snapshotEveryEntries() / 4)));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8MB"));
    RaftServerConfigKeys.Log.setWriteBufferSize(p, WRITE_BUFFER);
    return p;
  }

  static RaftProperties client(MetaConfig c) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(attemptTimeout(c.requestTimeout())));
    return p;
  }

  /**
   * How long one client attempt waits before trying another peer. When the leader is cut off, the
   * client's first attempt goes to it and nothing answers; with one attempt allowed the whole deadline
   * (10 s), a request failed even though a new leader was elected in 2-4 s. A third of the deadline,
   * 1-3 s, lets the retry policy reach the new leader within the same call. A retried write is not
   * applied twice: Ratis' retry cache recognises the same client call id.
   */
  static Duration attemptTimeout(Duration requestTimeout) {
    long third = requestTimeout.toMillis() / 3;
    return Duration.ofMillis(Math.max(1000, Math.min(3000, third)));
  }

  /** Client for configuration changes: one attempt may wait while a new member catches up with the log. */
  static RaftProperties admin(MetaConfig c) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(c.requestTimeout().multipliedBy(3)));
    return p;
  }

  static TimeDuration millis(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  static int port(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("raft address must be host:port, was " + address);
    }
    return Integer.parseInt(address.substring(colon + 1));
  }
}
