package io.cairn.meta;

import java.util.Map;
import java.util.TreeMap;

/**
 * The Raft configuration as this node last applied it: voters (count towards the quorum and may lead)
 * and listeners (receive the log and hold a full copy of the metadata, but never vote). Both map node
 * id to host:raftPort.
 *
 * @param voters voting members
 * @param listeners non-voting members
 * @param changing true while a configuration change is in progress (old and new configurations both count)
 */
public record RaftMembers(Map<Integer, String> voters, Map<Integer, String> listeners, boolean changing) {
  public static final RaftMembers UNKNOWN = new RaftMembers(Map.of(), Map.of(), false);

  public RaftMembers {
    voters = Map.copyOf(new TreeMap<>(voters));
    listeners = Map.copyOf(new TreeMap<>(listeners));
  }

  public boolean contains(int nodeId) {
    return voters.containsKey(nodeId) || listeners.containsKey(nodeId);
  }
}
