/**
 * Stock handlers: echo ({@link io.panamanetty.handler.EchoHandler}, what a bootstrap with
 * no handler installs), idle detection ({@link io.panamanetty.handler.IdleStateHandler})
 * and event logging with hex dumps ({@link io.panamanetty.handler.LoggingHandler}).
 */
package io.panamanetty.handler;
