// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZaraFixture} from "./base/ZaraFixture.sol";
import {AttestationCenter} from "../src/AttestationCenter.sol";
import {ModelSubmission} from "../src/ModelSubmission.sol";
import {AvsGovernance} from "../src/AvsGovernance.sol";
import {EvalResult} from "../src/ZaraTypes.sol";

contract AttestationCenterTest is ZaraFixture {
    uint256 taskId;

    function setUp() public {
        deployAll();
        uint256[] memory stakes = new uint256[](3);
        stakes[0] = 1 ether;
        stakes[1] = 1 ether;
        stakes[2] = 1 ether;
        registerOps(stakes);
        taskId = createEthTask();
    }

    function _signers(uint256 a, uint256 b) internal pure returns (uint256[] memory s) {
        s = new uint256[](2);
        s[0] = a;
        s[1] = b;
    }

    function test_allSignAccepts() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        verdict(r);
        ModelSubmission.Task memory t = ms.getTask(taskId);
        assertEq(uint256(t.bestId), id);
        assertEq(ms.claimable(address(0), optimizer), 1 ether + 0.1 ether);
        assertEq(uint256(ms.getSubmission(id).state), uint256(ModelSubmission.State.Settled));
    }

    function test_digestIsEip712() public view {
        EvalResult memory r;
        r.taskId = 1;
        r.submissionId = 2;
        r.seed = bytes32(uint256(3));
        r.challengerScore = -5;
        bytes32 typeHash = keccak256(
            "ZaraEvalResult(uint256 taskId,uint256 submissionId,uint256 incumbentId,bytes32 seed,uint8 status,int256 challengerScore,int256 incumbentScore,bytes32 outputsDigest)"
        );
        bytes32 domain = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256("Zarathustra"),
                keccak256("1"),
                block.chainid,
                address(ac)
            )
        );
        bytes32 sh =
            keccak256(abi.encode(typeHash, 1, 2, 0, bytes32(uint256(3)), 0, int256(-5), 0, 0));
        assertEq(ac.resultDigest(r), keccak256(abi.encodePacked(hex"1901", domain, sh)));
        assertEq(ac.domainSeparator(), domain);
    }

    function test_quorumExactlyTwoThirds() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        uint256 p = electedPerformer(r.seed);
        uint256 other = (p + 1) % 3;
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, _signers(p, other));
        assertEq(ns.length, 1);
        vm.prank(aggregatorAddr);
        ac.submitResult(r, ps, sg, a2, ns);
        assertEq(uint256(ms.getTask(taskId).bestId), id);
    }
}
