// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZaraTest} from "./ZaraTest.sol";

/// @notice BLS keys and signatures made by an independent implementation (noble-curves,
///         test/ffi/bls.mjs) through vm.ffi. Secret keys are chosen by the tests; everything
///         derived from them (public keys, hashes, signatures, aggregates) comes from node.
abstract contract BlsFfi is ZaraTest {
    uint256 internal constant FR =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    struct BlsKey {
        uint256 sk;
        uint256[2] g1;
        uint256[4] g2;
    }

    function _node(string memory cmd, uint256[] memory args) internal returns (uint256[] memory) {
        string[] memory argv = new string[](3 + args.length);
        argv[0] = "node";
        argv[1] = "test/ffi/bls.mjs";
        argv[2] = cmd;
        for (uint256 i = 0; i < args.length; i++) {
            argv[3 + i] = vm.toString(args[i]);
        }
        return abi.decode(vm.ffi(argv), (uint256[]));
    }

    function _one(uint256 a) internal pure returns (uint256[] memory v) {
        v = new uint256[](1);
        v[0] = a;
    }

    /// @notice A deterministic secret key for a test label.
    function blsSecret(string memory label) internal pure returns (uint256) {
        return uint256(keccak256(bytes(label))) % (FR - 1) + 1;
    }

    function blsKey(uint256 sk) internal returns (BlsKey memory k) {
        uint256[] memory w = _node("pk", _one(sk));
        k.sk = sk;
        k.g1 = [w[0], w[1]];
        k.g2 = [w[2], w[3], w[4], w[5]];
    }

    function blsHash(bytes32 m) internal returns (uint256[2] memory) {
        uint256[] memory w = _node("hash", _one(uint256(m)));
        return [w[0], w[1]];
    }

    /// @notice The aggregate signature of m by the given secret keys.
    function blsSign(bytes32 m, uint256[] memory sks) internal returns (uint256[2] memory) {
        uint256[] memory args = new uint256[](sks.length + 1);
        args[0] = uint256(m);
        for (uint256 i = 0; i < sks.length; i++) {
            args[i + 1] = sks[i];
        }
        uint256[] memory w = _node("sign", args);
        return [w[0], w[1]];
    }

    function blsSign1(bytes32 m, uint256 sk) internal returns (uint256[2] memory) {
        return blsSign(m, _one(sk));
    }

    /// @notice The aggregate G1 and G2 keys of the given secret keys.
    function blsApk(uint256[] memory sks)
        internal
        returns (uint256[2] memory g1, uint256[4] memory g2)
    {
        uint256[] memory w = _node("apk", sks);
        g1 = [w[0], w[1]];
        g2 = [w[2], w[3], w[4], w[5]];
    }

    /// @notice For every subset mask of the keys, the aggregate G2 key.
    function blsSubsets(uint256[] memory sks) internal returns (uint256[4][] memory out) {
        uint256[] memory w = _node("subsets", sks);
        out = new uint256[4][](w.length / 4);
        for (uint256 i = 0; i < out.length; i++) {
            out[i] = [w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]];
        }
    }

    /// @notice noble's verdict on the BLS equation of docs/PROTOCOL.md.
    function blsVerifyNoble(
        bytes32 m,
        uint256[2] memory sig,
        uint256[2] memory apk1,
        uint256[4] memory apk2
    ) internal returns (bool) {
        uint256[] memory a = new uint256[](9);
        a[0] = uint256(m);
        a[1] = sig[0];
        a[2] = sig[1];
        a[3] = apk1[0];
        a[4] = apk1[1];
        a[5] = apk2[0];
        a[6] = apk2[1];
        a[7] = apk2[2];
        a[8] = apk2[3];
        return _node("verify", a)[0] == 1;
    }
}
