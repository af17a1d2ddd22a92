package io.cairn.meta;

/**
 * Observes Raft role changes and applied namespace changes; implementations must return quickly and never
 * block (they run on Ratis threads).
 */
public interface RaftListener {
  /** A new leader is known (leaderId may be 0 while an election runs). */
  default void leaderChanged(int leaderId, long term) {}

  /** This node started an election (became candidate). */
  default void electionStarted(long term) {}

  /**
   * A committed overwrite or delete removed this file version on this replica (called on every node as it
   * applies the entry), e.g. to drop the version's chunks from a local cache.
   */
  default void fileVersionRemoved(io.cairn.common.FileRecord removed) {}
}
