/**
 * Traffic shaping: holding channels to read and write rates in bytes per second, one channel
 * at a time ({@link io.panamanetty.handler.traffic.ChannelTrafficShapingHandler}) or many
 * together ({@link io.panamanetty.handler.traffic.GlobalTrafficShapingHandler}), with
 * {@link io.panamanetty.handler.traffic.TrafficCounter}s of what passed per interval.
 */
package io.panamanetty.handler.traffic;
