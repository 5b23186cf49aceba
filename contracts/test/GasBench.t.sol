// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZaraFixture} from "./base/ZaraFixture.sol";
import {Log} from "./base/ZaraTest.sol";
import {EvalResult} from "../src/ZaraTypes.sol";

/// @notice Gas of the hot paths, measured with vm.lastCallGas under `forge test --isolate`:
///         the whole transaction's gas (21000 + calldata + execution). submitResult is also
///         shown as execution gas alone (without the 21000 and its calldata at 4/16 gas per
///         zero/non-zero byte). bench/contracts/run.sh prints these lines; the tests also
///         enforce the bounds.
contract SlotProbe {
    uint256 x;

    function set(uint256 v) external {
        x = v;
    }
}

contract GasBenchTest is ZaraFixture {
    function setUp() public {
        deployAll();
        // The figures only mean something when every call is its own transaction
        // (`forge test --isolate`, as bench/contracts/run.sh runs it); skip otherwise.
        SlotProbe p = new SlotProbe();
        p.set(1);
        p.set(2);
        vm.skip(vm.lastCallGas().gasTotalUsed < 2000);
    }

    /// @dev One verdict with `nonSigners` of the active operators not signing; a previous
    ///      verdict has warmed the aggregator's credit slot (steady state).
    function _verdictGas(uint256 nonSigners) internal returns (uint256 total, uint256 exec) {
        uint256 taskId = createEthTask();
        EvalResult memory r0 = resultFor(submit(taskId), 0, 0, 0);
        verdict(r0);
        EvalResult memory r = resultFor(submit(taskId), 0, 5e17, 0);
        uint256[] memory signers = _signers(electedPerformer(r.seed), nonSigners);
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, signers);
        assertEq(ns.length, nonSigners);
        vm.prank(aggregatorAddr);
        ac.submitResult(r, ps, sg, a2, ns);
        total = vm.lastCallGas().gasTotalUsed;
        exec = total - _intrinsic(abi.encodeCall(ac.submitResult, (r, ps, sg, a2, ns)));
    }

    /// @dev 21000 + 4 per zero and 16 per non-zero calldata byte (EIP-2028; the EIP-7623
    ///      floor is far below a verdict's gas).
    function _intrinsic(bytes memory data) internal pure returns (uint256 g) {
        g = 21_000;
        for (uint256 i = 0; i < data.length; i++) {
            g += data[i] == 0 ? 4 : 16;
        }
    }

    /// @dev All active operators but `skip` of them, never skipping the performer.
    function _signers(uint256 p, uint256 skip) internal view returns (uint256[] memory signers) {
        uint256 n = gov.activeCount();
        signers = new uint256[](n - skip);
        uint256 k;
        uint256 skipped;
        for (uint256 i = 0; i < n; i++) {
            uint256 idx = opIndex(gov.activeOperatorAt(i));
            if (idx != p && skipped < skip) {
                skipped++;
                continue;
            }
            signers[k++] = idx;
        }
    }

    function test_gasSubmitResult() public {
        registerEqual(10);
        (uint256 g10, uint256 x10) = _verdictGas(0);
        Log.log("submitResult, 10 operators all signing (target 200000)", g10);
        Log.log("submitResult, 10 operators all signing, execution only", x10);
        registerEqual(90);
        (uint256 g, uint256 x) = _verdictGas(0);
        Log.log("submitResult, 100 operators all signing (target 200000)", g);
        Log.log("submitResult, 100 operators all signing, execution only", x);
        (uint256 gns, uint256 xns) = _verdictGas(10);
        Log.log("submitResult, 100 operators, 10 non-signers", gns);
        (uint256 gns20, uint256 xns20) = _verdictGas(20);
        Log.log("submitResult, 100 operators, 20 non-signers", gns20);
        // from 10 to 20 non-signers: the marginal cost of one, its 64 calldata bytes included
        // (the digests differ, and hashToG1 needs ~1.6k per extra try: a few hundred gas of
        // noise)
        uint256 perNs = (gns20 - gns) / 10;
        Log.log("per non-signer (target 6000)", perNs);
        Log.log("per non-signer, execution only", (xns20 - xns) / 10);
        assertLe(g10, 262_000, "submitResult 10 (regression bound)");
        // cost does not grow with signers (hashToG1's tries vary with the digest: ~1.4k each)
        assertLe(g > g10 ? g - g10 : g10 - g, 5_000, "gas grows with signers");
        assertLe(perNs, 7_000, "per non-signer (regression bound)");
    }

    function test_gasCommitReveal() public {
        registerEqual(1);
        uint256 taskId = createEthTask();
        submit(taskId); // warms the counters
        bytes32 salt = keccak256("salt");
        string memory cid = "bafkreibqymzntwso2c7az3zrlhxi7323aaetkks2y7vtp4oid2k7vib6ny";
        bytes32 c = keccak256(abi.encode(taskId, optimizer, keccak256(bytes(cid)), salt));
        vm.prank(optimizer);
        uint256 id = ms.commit{value: 0.11 ether}(taskId, c);
        uint256 gc = vm.lastCallGas().gasTotalUsed;
        vm.roll(block.number + 1);
        vm.prank(optimizer);
        ms.reveal(id, cid, salt);
        uint256 gr = vm.lastCallGas().gasTotalUsed;
        Log.log("commit, ETH task (target 120000)", gc);
        Log.log("reveal, ETH task, queue not empty (target 80000)", gr);
        assertLe(gc, 120_000, "commit");
        assertLe(gr, 80_000, "reveal");
    }
}
