/**
 * Stock handlers: echo ({@link io.panamanetty.handler.EchoHandler}, what a bootstrap with
 * no handler installs), idle detection ({@link io.panamanetty.handler.IdleStateHandler}, with
 * Netty's {@code observeOutput}), timeouts ({@link io.panamanetty.handler.ReadTimeoutHandler},
 * {@link io.panamanetty.handler.WriteTimeoutHandler}), fewer flushes
 * ({@link io.panamanetty.handler.FlushConsolidationHandler}) and event logging with hex dumps
 * ({@link io.panamanetty.handler.LoggingHandler}). Their timers run on the channel's event loop
 * and its clock, so an {@code EmbeddedChannel}'s {@code advanceTimeBy} drives them in tests.
 */
package io.panamanetty.handler;
