package io.panamanetty.benchmarks.echo;

/**
 * One server of a run: what {@link ServerProcess} starts and how the logs, the report and
 * the charts name it. Usually a {@link ServerKind} on the harness's own class path; with
 * {@code --baseline REV}, also panama-netty's echo server as built from that earlier
 * commit: that commit's {@link PanamaEchoServer} (the same bootstrap as the README's
 * {@code echo-server}, whose options older commits may lack) on the baseline build's class path.
 *
 * @param kind which server this is
 * @param id short name without spaces: the server's log is {@code <logs>/<id>.log}
 * @param label the name in logs, tables and charts
 * @param classPath the server JVM's class path
 * @param baseline true for the earlier commit's build of panama-netty
 * @param program how it is started and stopped
 */
record ServerSpec(ServerKind kind, String id, String label, String classPath, boolean baseline,
                  ServerProgram program) {

    /** {@code kind} on the harness's class path, named as the kind is. */
    static ServerSpec current(ServerKind kind, String classPath) {
        return new ServerSpec(kind, kind.id(), kind.label(), classPath, false, kind.program());
    }

    /** panama-netty's echo server from {@code build}, labelled {@code panama-netty @<shortsha>}. */
    static ServerSpec baseline(Baseline.Build build) {
        return new ServerSpec(ServerKind.PANAMA, ServerKind.PANAMA.id() + "@" + build.shortSha(),
                ServerKind.PANAMA.label() + " @" + build.shortSha(), build.classPath(), true,
                ServerProgram.java(PanamaEchoServer.class));
    }
}
