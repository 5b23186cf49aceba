// SPDX-License-Identifier: MIT
// Promise.withResolvers (ES2024) for Node 20, which js-ipfs 0.66's dependencies call.
// Loaded with NODE_OPTIONS=--require <this file> when the tests start `jsipfs`.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve, reject
      const promise = new this((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}
