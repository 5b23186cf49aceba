// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title BN254
/// @notice G1 arithmetic, try-and-increment hashing to G1 and the BLS pairing check on the
///         BN254 (alt_bn128) curve, through the EVM precompiles 0x05-0x08.
/// @dev G1 points are (x, y) with (0, 0) the point at infinity. G2 points are four words in
///      the precompile's order: [x.imag, x.real, y.imag, y.real]. See docs/PROTOCOL.md.
library BN254 {
    /// @notice Base field modulus p.
    uint256 internal constant P =
        21888242871839275222246405745257275088696311157297823662689037894645226208583;
    /// @notice Group order r (scalar field).
    uint256 internal constant R =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    // G2 generator, precompile order (imaginary part first).
    uint256 internal constant G2_X1 =
        11559732032986387107991004021392285783925812861821192530917403151452391805634;
    uint256 internal constant G2_X0 =
        10857046999023057135944570762232829481370756359578518086990519993285655852781;
    uint256 internal constant G2_Y1 =
        4082367875863433681332203403145435568316851327593401208105741076214120093531;
    uint256 internal constant G2_Y0 =
        8495653923123431417604973247489272438418190587263600148770280649306958101930;

    /// @dev −G2's y coordinate (p − y), precompile order.
    uint256 private constant NEG_G2_Y1 =
        17805874995975841540914202342111839520379459829704422454583296818431106115052;
    uint256 private constant NEG_G2_Y0 =
        13392588948715843804641432497768002650278120570034223513918757245338268106653;

    /// @dev (p + 1) / 4, the exponent of the square root in Fp (p = 3 mod 4).
    uint256 private constant SQRT_EXP =
        5472060717959818805561601436314318772174077789324455915672259473661306552146;

    error PrecompileFailed();

    /// @notice The G1 generator (1, 2).
    function g1() internal pure returns (uint256[2] memory) {
        return [uint256(1), uint256(2)];
    }

    /// @notice The G2 generator in precompile order.
    function g2() internal pure returns (uint256[4] memory) {
        return [G2_X1, G2_X0, G2_Y1, G2_Y0];
    }

    /// @notice Whether (x, y) is a point of G1 other than infinity (on y^2 = x^3 + 3, x, y < p).
    function isOnCurveG1(uint256[2] memory pt) internal pure returns (bool) {
        uint256 x = pt[0];
        uint256 y = pt[1];
        if (x >= P || y >= P || (x == 0 && y == 0)) return false;
        return mulmod(y, y, P) == addmod(mulmod(mulmod(x, x, P), x, P), 3, P);
    }

    /// @notice -pt.
    function negate(uint256[2] memory pt) internal pure returns (uint256[2] memory) {
        if (pt[0] == 0 && pt[1] == 0) return pt;
        return [pt[0], P - (pt[1] % P)];
    }

    /// @notice a + b through the ecAdd precompile (reverts on points not on the curve).
    function add(uint256[2] memory a, uint256[2] memory b)
        internal
        view
        returns (uint256[2] memory r)
    {
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, mload(a))
            mstore(add(m, 0x20), mload(add(a, 0x20)))
            mstore(add(m, 0x40), mload(b))
            mstore(add(m, 0x60), mload(add(b, 0x20)))
            ok := staticcall(gas(), 0x06, m, 0x80, r, 0x40)
        }
        if (!ok) revert PrecompileFailed();
    }

    /// @notice (ax, ay) + (bx, by) through the ecAdd precompile, using scratch memory only.
    function addXY(uint256 ax, uint256 ay, uint256 bx, uint256 by)
        internal
        view
        returns (uint256 rx, uint256 ry)
    {
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, ax)
            mstore(add(m, 0x20), ay)
            mstore(add(m, 0x40), bx)
            mstore(add(m, 0x60), by)
            ok := staticcall(gas(), 0x06, m, 0x80, m, 0x40)
            rx := mload(m)
            ry := mload(add(m, 0x20))
        }
        if (!ok) revert PrecompileFailed();
    }

    /// @notice s * pt through the ecMul precompile.
    function mul(uint256[2] memory pt, uint256 s) internal view returns (uint256[2] memory r) {
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, mload(pt))
            mstore(add(m, 0x20), mload(add(pt, 0x20)))
            mstore(add(m, 0x40), s)
            ok := staticcall(gas(), 0x07, m, 0x60, r, 0x40)
        }
        if (!ok) revert PrecompileFailed();
    }

    /// @notice e(a1, b1) * e(a2, b2) == 1 through the pairing precompile.
    /// @dev Reverts if a point is invalid (not on its curve, or a G2 point outside the subgroup).
    function pairing2(
        uint256[2] memory a1,
        uint256[4] memory b1,
        uint256[2] memory a2,
        uint256[4] memory b2
    ) internal view returns (bool) {
        uint256[12] memory input = [
            a1[0], a1[1], b1[0], b1[1], b1[2], b1[3], a2[0], a2[1], b2[0], b2[1], b2[2], b2[3]
        ];
        uint256[1] memory out;
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), 0x08, input, 0x180, out, 0x20)
        }
        if (!ok) revert PrecompileFailed();
        return out[0] == 1;
    }

    /// @notice base^(p+1)/4 mod p through the modexp precompile.
    function _sqrtCandidate(uint256 base) private view returns (uint256 y) {
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, 0x20)
            mstore(add(m, 0x20), 0x20)
            mstore(add(m, 0x40), 0x20)
            mstore(add(m, 0x60), base)
            mstore(add(m, 0x80), SQRT_EXP)
            mstore(add(m, 0xa0), P)
            ok := staticcall(gas(), 0x05, m, 0xc0, m, 0x20)
            y := mload(m)
        }
        if (!ok) revert PrecompileFailed();
    }

    /// @notice Try-and-increment hash of a 32-byte digest onto G1 (EigenLayer convention):
    ///         x = digest mod p; y = (x^3+3)^((p+1)/4); accept if y^2 = x^3+3, else x += 1.
    function hashToG1(bytes32 digest) internal view returns (uint256[2] memory) {
        (uint256 x, uint256 y) = _hashToG1XY(digest);
        return [x, y];
    }

    function _hashToG1XY(bytes32 digest) private view returns (uint256 x, uint256 y) {
        x = uint256(digest) % P;
        while (true) {
            uint256 beta = addmod(mulmod(mulmod(x, x, P), x, P), 3, P);
            y = _sqrtCandidate(beta);
            if (mulmod(y, y, P) == beta) return (x, y);
            x = addmod(x, 1, P);
        }
    }

    /// @notice γ = keccak256(m ‖ apkG1 ‖ apkG2 ‖ sigma) mod r, 288 bytes hashed.
    function gamma(
        bytes32 m,
        uint256[2] memory apkG1,
        uint256[4] memory apkG2,
        uint256[2] memory sigma
    ) internal pure returns (uint256) {
        return uint256(
            keccak256(
            abi.encodePacked(
            m, apkG1[0], apkG1[1], apkG2[0], apkG2[1], apkG2[2], apkG2[3], sigma[0], sigma[1]
        )
        )
        ) % R;
    }

    /// @notice Checks the BLS signature sigma on m by the keys (apkG1, apkG2):
    ///         e(sigma + γ·apkG1, −G2) · e(H(m) + γ·G1, apkG2) = 1.
    /// @dev Returns false on a wrong signature; reverts (PrecompileFailed) on malformed points.
    ///      γ, the four precompile calls and the pairing input share one scratch buffer of 12
    ///      words past the free memory pointer (nothing is allocated).
    function verify(
        bytes32 m,
        uint256[2] memory apkG1,
        uint256[4] memory apkG2,
        uint256[2] memory sigma
    ) internal view returns (bool valid) {
        (uint256 hx, uint256 hy) = _hashToG1XY(m);
        bool ok;
        assembly ("memory-safe") {
            let b := mload(0x40)
            // γ = keccak256(m ‖ apkG1 ‖ apkG2 ‖ sigma) mod r
            mstore(b, m)
            mstore(add(b, 0x20), mload(apkG1))
            mstore(add(b, 0x40), mload(add(apkG1, 0x20)))
            mcopy(add(b, 0x60), apkG2, 0x80)
            mcopy(add(b, 0xe0), sigma, 0x40)
            let gm := mod(keccak256(b, 0x120), R)
            // words 0-1: sigma + γ·apkG1
            mstore(add(b, 0x40), mload(apkG1))
            mstore(add(b, 0x60), mload(add(apkG1, 0x20)))
            mstore(add(b, 0x80), gm)
            ok := staticcall(gas(), 0x07, add(b, 0x40), 0x60, add(b, 0x40), 0x40)
            mstore(b, mload(sigma))
            mstore(add(b, 0x20), mload(add(sigma, 0x20)))
            ok := and(ok, staticcall(gas(), 0x06, b, 0x80, b, 0x40))
            // words 6-7: H(m) + γ·G1
            mstore(add(b, 0xc0), 1)
            mstore(add(b, 0xe0), 2)
            mstore(add(b, 0x100), gm)
            ok := and(ok, staticcall(gas(), 0x07, add(b, 0xc0), 0x60, add(b, 0xc0), 0x40))
            mstore(add(b, 0x100), hx)
            mstore(add(b, 0x120), hy)
            ok := and(ok, staticcall(gas(), 0x06, add(b, 0xc0), 0x80, add(b, 0xc0), 0x40))
            // words 2-5: −G2; words 8-11: apkG2
            mstore(add(b, 0x40), G2_X1)
            mstore(add(b, 0x60), G2_X0)
            mstore(add(b, 0x80), NEG_G2_Y1)
            mstore(add(b, 0xa0), NEG_G2_Y0)
            mcopy(add(b, 0x100), apkG2, 0x80)
            ok := and(ok, staticcall(gas(), 0x08, b, 0x180, b, 0x20))
            valid := eq(mload(b), 1)
        }
        if (!ok) revert PrecompileFailed();
    }
}
