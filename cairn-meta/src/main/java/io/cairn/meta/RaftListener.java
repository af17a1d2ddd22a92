package io.cairn.meta;

/** Observes Raft role changes; implementations must return quickly and never block. */
public interface RaftListener {
  /** A new leader is known (leaderId may be 0 while an election runs). */
  default void leaderChanged(int leaderId, long term) {}

  /** This node started an election (became candidate). */
  default void electionStarted(long term) {}
}
