package io.cairn.server.gateway;

/**
 * Whether this node should receive traffic, as {@code GET /readyz} reports it to load balancers.
 *
 * <p>Implementations are called on request threads and must answer quickly without blocking on the
 * cluster (read a cached state).
 */
public interface Readiness {
  boolean ready();

  /** A short human-readable reason, shown in {@code /readyz} whether ready or not. */
  String detail();

  /** Always ready: for tests and tools that run the gateway without a cluster. */
  static Readiness always() {
    return new Readiness() {
      @Override
      public boolean ready() {
        return true;
      }

      @Override
      public String detail() {
        return "ok";
      }
    };
  }
}
