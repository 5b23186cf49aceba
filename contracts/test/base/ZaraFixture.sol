// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BlsFfi} from "./BlsFfi.sol";
import {AvsGovernance} from "../../src/AvsGovernance.sol";
import {AttestationCenter} from "../../src/AttestationCenter.sol";
import {AvsLogic} from "../../src/AvsLogic.sol";
import {ModelSubmission} from "../../src/ModelSubmission.sol";
import {EvalResult} from "../../src/ZaraTypes.sol";
import {TestToken} from "../mocks/TestToken.sol";

/// @notice Deploys and wires the four contracts with test constants, registers operators with
///         keys made by noble-curves, and drives tasks and submissions.
abstract contract ZaraFixture is BlsFfi {
    uint256 internal constant SEED_DELAY = 2;
    uint256 internal constant REVEAL_WINDOW = 10;
    uint256 internal constant EVAL_TIMEOUT = 50;
    uint256 internal constant MIN_STAKE = 1 ether;
    uint256 internal constant EXIT_DELAY = 20;
    uint256 internal constant PERFORMER_BPS = 1000;
    uint256 internal constant AGGREGATOR_BPS = 500;
    uint256 internal constant BOUNTY_BPS = 5000;
    uint256 internal constant PERFORMER_TIMEOUT = 10;

    AvsGovernance internal gov;
    ModelSubmission internal ms;
    AttestationCenter internal ac;
    AvsLogic internal logic;
    TestToken internal token;

    struct Op {
        address addr;
        uint256 ethKey;
        uint256 sk;
        uint256[2] g1;
        uint256[4] g2;
        bytes32 id;
    }

    Op[] internal ops;
    address internal owner = address(0xA11CE);
    address internal optimizer = address(0xB0B);
    address internal aggregatorAddr = address(0xA66);

    function deployAll() internal {
        gov = new AvsGovernance(MIN_STAKE, EXIT_DELAY);
        ms = new ModelSubmission(SEED_DELAY, REVEAL_WINDOW, EVAL_TIMEOUT);
        // AvsLogic is deployed right after the AttestationCenter: predict its address
        address logicAt = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        ac = new AttestationCenter(
            address(gov),
            address(ms),
            logicAt,
            2,
            3,
            PERFORMER_BPS,
            AGGREGATOR_BPS,
            BOUNTY_BPS,
            PERFORMER_TIMEOUT
        );
        logic = new AvsLogic(address(ac), address(ms));
        assertEq(address(logic), logicAt);
        gov.initialize(address(ac));
        ms.initialize(address(logic), address(ac));
        token = new TestToken();
        vm.deal(owner, 1000 ether);
        vm.deal(optimizer, 1000 ether);
        vm.roll(100);
        vm.warp(1_700_000_000);
    }

    /// @notice Creates n operator identities (Ethereum key + BLS key and its proof of
    ///         possession from noble) and registers them with the given stakes.
    function registerOps(uint256[] memory stakes) internal {
        uint256 first = ops.length;
        uint256 n = stakes.length;
        uint256[] memory args = new uint256[](2 * n);
        for (uint256 i = 0; i < n; i++) {
            Op memory o;
            o.ethKey = uint256(keccak256(abi.encode("eth", first + i))) % (FR - 1) + 1;
            o.addr = vm.addr(o.ethKey);
            o.sk = blsSecret(string.concat("bls", vm.toString(first + i)));
            args[2 * i] = uint256(gov.popMessage(o.addr));
            args[2 * i + 1] = o.sk;
            ops.push(o);
        }
        uint256[] memory w = _node("pkpop", args);
        for (uint256 i = 0; i < n; i++) {
            Op storage o = ops[first + i];
            uint256 b = 8 * i;
            o.g1 = [w[b], w[b + 1]];
            o.g2 = [w[b + 2], w[b + 3], w[b + 4], w[b + 5]];
            o.id = keccak256(abi.encode(o.g1[0], o.g1[1]));
            vm.deal(o.addr, stakes[i] + 10 ether);
            vm.prank(o.addr);
            gov.register{value: stakes[i]}(
                o.g1,
                o.g2,
                [w[b + 6], w[b + 7]],
                string.concat("http://op", vm.toString(first + i)),
                true
            );
        }
    }

    function registerEqual(uint256 n) internal {
        uint256[] memory stakes = new uint256[](n);
        for (uint256 i = 0; i < n; i++) {
            stakes[i] = MIN_STAKE;
        }
        registerOps(stakes);
    }

    // ---- tasks and submissions -----------------------------------------------------------

    function taskParams(address tok, uint256 pool)
        internal
        view
        returns (ModelSubmission.TaskParams memory p)
    {
        p.token = tok;
        p.rewardPool = pool;
        p.rewardPerImprovement = 1 ether;
        p.evaluationFee = 0.01 ether;
        p.bond = 0.1 ether;
        p.slashBps = 2000;
        p.minImprovement = 1e16;
        p.deadline = uint64(block.timestamp + 7 days);
        p.archCid = "bafkreiarch";
        p.initCid = "bafkreiinit";
        p.evalCid = "bafkreieval";
    }

    function createEthTask() internal returns (uint256) {
        ModelSubmission.TaskParams memory p = taskParams(address(0), 10 ether);
        vm.prank(owner);
        return ms.createTask{value: p.rewardPool}(p);
    }

    function createTokenTask() internal returns (uint256) {
        ModelSubmission.TaskParams memory p = taskParams(address(token), 10 ether);
        token.mint(owner, 100 ether);
        vm.prank(owner);
        token.approve(address(ms), type(uint256).max);
        vm.prank(owner);
        return ms.createTask(p);
    }

    function cidOf(uint256 i) internal pure returns (string memory) {
        return string.concat("bafkreiparams", vm.toString(i));
    }

    /// @notice commit + reveal by `who`, then mine past the seed block. Returns the id.
    function submitBy(address who, uint256 taskId, string memory cid)
        internal
        returns (uint256 id)
    {
        ModelSubmission.Task memory t = ms.getTask(taskId);
        bytes32 salt = keccak256(abi.encode(who, cid));
        bytes32 c = keccak256(abi.encode(taskId, who, keccak256(bytes(cid)), salt));
        vm.prank(who);
        if (t.token == address(0)) {
            id = ms.commit{value: uint256(t.bond) + t.evaluationFee}(taskId, c);
        } else {
            id = ms.commit{value: t.evaluationFee}(taskId, c);
        }
        vm.roll(block.number + 1);
        vm.prank(who);
        ms.reveal(id, cid, salt);
        vm.roll(block.number + SEED_DELAY + 1);
    }

    function submit(uint256 taskId) internal returns (uint256) {
        return submitBy(optimizer, taskId, cidOf(ms.submissionCount() + 1));
    }

    function resultFor(uint256 submissionId, uint8 status, int256 challenger, int256 incumbent)
        internal
        returns (EvalResult memory r)
    {
        ModelSubmission.Submission memory s = ms.getSubmission(submissionId);
        bytes32 seed = s.seed == 0 ? ms.fixSeed(submissionId) : s.seed;
        ModelSubmission.Task memory t = ms.getTask(s.taskId);
        r = EvalResult({
            taskId: s.taskId,
            submissionId: submissionId,
            incumbentId: t.bestId,
            seed: seed,
            status: status,
            challengerScore: challenger,
            incumbentScore: incumbent,
            outputsDigest: keccak256(abi.encode("outputs", submissionId))
        });
    }

    function opIndex(address a) internal view returns (uint256) {
        for (uint256 i = 0; i < ops.length; i++) {
            if (ops[i].addr == a) return i;
        }
        revert("not an operator");
    }

    function electedPerformer(bytes32 seed) internal view returns (uint256) {
        return opIndex(gov.activeOperatorAt(uint256(seed) % gov.activeCount()));
    }

    function ecdsa(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @notice Everything submitResult needs when the operators at `signers` sign and every
    ///         other active operator does not (non-signer keys sorted by id).
    function attest(EvalResult memory r, uint256[] memory signers)
        internal
        returns (
            bytes memory perfSig,
            uint256[2] memory sigma,
            uint256[4] memory apk2,
            uint256[2][] memory ns
        )
    {
        bytes32 digest = ac.resultDigest(r);
        perfSig = ecdsa(ops[electedPerformer(r.seed)].ethKey, digest);
        uint256[] memory sks = new uint256[](signers.length);
        bool[] memory signs = new bool[](ops.length);
        for (uint256 i = 0; i < signers.length; i++) {
            sks[i] = ops[signers[i]].sk;
            signs[signers[i]] = true;
        }
        sigma = blsSign(digest, sks);
        (, apk2) = blsApk(sks);
        ns = nonSignerKeys(signs);
    }

    function nonSignerKeys(bool[] memory signs) internal view returns (uint256[2][] memory ns) {
        uint256 n;
        for (uint256 i = 0; i < ops.length; i++) {
            if (!signs[i] && gov.isActive(ops[i].addr)) n++;
        }
        ns = new uint256[2][](n);
        bytes32[] memory ids = new bytes32[](n);
        uint256 k;
        for (uint256 i = 0; i < ops.length; i++) {
            if (!signs[i] && gov.isActive(ops[i].addr)) {
                ns[k] = ops[i].g1;
                ids[k] = ops[i].id;
                k++;
            }
        }
        // insertion sort by id
        for (uint256 i = 1; i < n; i++) {
            for (uint256 j = i; j > 0 && uint256(ids[j - 1]) > uint256(ids[j]); j--) {
                (ids[j - 1], ids[j]) = (ids[j], ids[j - 1]);
                (ns[j - 1], ns[j]) = (ns[j], ns[j - 1]);
            }
        }
    }

    function allActive() internal view returns (uint256[] memory idx) {
        uint256 n = gov.activeCount();
        idx = new uint256[](n);
        for (uint256 i = 0; i < n; i++) {
            idx[i] = opIndex(gov.activeOperatorAt(i));
        }
    }

    /// @notice Signs r by all active operators and submits it as aggregatorAddr.
    function verdict(EvalResult memory r) internal {
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, allActive());
        vm.prank(aggregatorAddr);
        ac.submitResult(r, ps, sg, a2, ns);
    }
}
