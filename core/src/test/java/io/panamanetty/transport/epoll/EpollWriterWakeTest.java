package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.TestTransport;
import io.panamanetty.testsuite.WriterWakeScenario;

/** {@link WriterWakeScenario} on the epoll transport. */
class EpollWriterWakeTest extends WriterWakeScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
