// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZaraTest} from "./base/ZaraTest.sol";
import {ZaraFixture} from "./base/ZaraFixture.sol";
import {AvsGovernance} from "../src/AvsGovernance.sol";
import {AttestationCenter} from "../src/AttestationCenter.sol";
import {ModelSubmission} from "../src/ModelSubmission.sol";
import {BN254} from "../src/BN254.sol";
import {EvalResult} from "../src/ZaraTypes.sol";
import {TestToken} from "./mocks/TestToken.sol";

/// @notice Drives random sequences of tasks, submissions, verdicts, expiries, exits,
///         equivocation reports and withdrawals against the real contracts. Verdicts carry
///         real BLS signatures: sigma = (sum of signers' keys) * hashToG1(digest) through the
///         ecMul precompile, and the signers' G2 key from a table noble computed in setUp.
contract Handler is ZaraTest {
    AvsGovernance public gov;
    ModelSubmission public ms;
    AttestationCenter public ac;
    TestToken public token;

    struct Op {
        address addr;
        uint256 ethKey;
        uint256 sk;
        uint256[2] g1;
        bytes32 id;
    }

    Op[] public ops;
    uint256[4][] internal subsetG2; // G2 aggregate of ops in mask
    address[] public actors; // owners and optimizers
    address public constant AGGREGATOR = address(0xA66);
    address public constant REPORTER = address(0xBEEF);

    // ghost state
    mapping(uint256 => uint256) public settleCount;
    mapping(uint256 => int256) public lastBestScore;
    bool public bestScoreDecreased;
    bool public doubleSettle;
    bool public overWithdraw;
    /// @notice A verdict by the performer AvsGovernance elects was refused as not elected or
    ///         not active (the AttestationCenter's copy of the active set went wrong).
    bool public electionMismatch;
    uint256 public verdicts;
    uint256 public reveals;
    uint256 public verdictTries;
    uint256 public calls;

    constructor(
        AvsGovernance gov_,
        ModelSubmission ms_,
        AttestationCenter ac_,
        TestToken token_,
        Op[] memory ops_,
        uint256[4][] memory subsets
    ) {
        gov = gov_;
        ms = ms_;
        ac = ac_;
        token = token_;
        for (uint256 i = 0; i < ops_.length; i++) {
            ops.push(ops_[i]);
        }
        for (uint256 i = 0; i < subsets.length; i++) {
            subsetG2.push(subsets[i]);
        }
        for (uint256 i = 0; i < 3; i++) {
            address a = address(uint160(0x1000 + i));
            actors.push(a);
            vm.deal(a, 1_000_000 ether);
            token.mint(a, 1_000_000 ether);
            vm.prank(a);
            token.approve(address(ms), type(uint256).max);
        }
    }

    function opCount() external view returns (uint256) {
        return ops.length;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    // ---- actions ------------------------------------------------------------------------------

    function createTask(uint256 who, bool useToken, uint96 pool, uint64 bond, uint16 slashBps)
        public
    {
        calls++;
        address a = actors[who % actors.length];
        ModelSubmission.TaskParams memory p;
        p.token = useToken ? address(token) : address(0);
        p.rewardPool = pool % 100 ether;
        p.rewardPerImprovement = 1 ether;
        p.evaluationFee = 0.01 ether + pool % 1e15;
        p.bond = bond % 1 ether;
        p.slashBps = slashBps % 10_001;
        p.minImprovement = 1e16;
        p.deadline = uint64(block.timestamp + 1 days);
        p.archCid = "a";
        p.initCid = "i";
        p.evalCid = "e";
        vm.prank(a);
        ms.createTask{value: useToken ? 0 : p.rewardPool}(p);
    }

    function commitReveal(uint256 who, uint256 task, uint8 reveal) external {
        calls++;
        uint256 tid = ms.taskCount() == 0 ? 0 : task % ms.taskCount() + 1;
        ModelSubmission.Task memory t = ms.getTask(tid);
        if (tid == 0 || t.closed || block.timestamp >= t.deadline) {
            // nothing open there: open a task first
            createTask(who, task % 2 == 0, uint96(task), uint64(task >> 96), uint16(task >> 160));
            tid = ms.taskCount();
            t = ms.getTask(tid);
        }
        address a = actors[who % actors.length];
        bytes32 salt = keccak256(abi.encode(calls));
        bytes32 c = keccak256(abi.encode(tid, a, keccak256(bytes("p")), salt));
        vm.prank(a);
        uint256 id = ms.commit{
            value: t.token == address(0) ? uint256(t.bond) + t.evaluationFee : t.evaluationFee
        }(
            tid, c
        );
        vm.roll(block.number + 1);
        if (reveal % 8 == 0) return; // sometimes left unrevealed, to expire
        vm.prank(a);
        ms.reveal(id, "p", salt);
        reveals++;
    }

    function mine(uint8 blocks) external {
        calls++;
        vm.roll(block.number + 1 + blocks);
        vm.warp(block.timestamp + 12 * (1 + uint256(blocks)));
    }

    /// @dev A verdict on the head of a task, signed by a random quorum of the active set.
    function verdict(uint256 task, uint8 status, int64 challenger, int64 incumbent, uint256 mask)
        external
    {
        calls++;
        uint256 n = ms.taskCount();
        if (n == 0 || gov.activeCount() == 0) return;
        // the first task from a random one that has a submission waiting
        uint256 tid;
        ModelSubmission.Task memory t;
        for (uint256 k = 0; k < n; k++) {
            tid = (task + k) % n + 1;
            t = ms.getTask(tid);
            if (t.head != 0) break;
        }
        uint256 id = t.head;
        if (id == 0) return;
        ModelSubmission.Submission memory s = ms.getSubmission(id);
        if (block.number <= s.seedBlock) vm.roll(s.seedBlock + 1);
        bytes32 seed = ms.fixSeed(id);
        if (seed == 0) return;
        verdictTries++;
        EvalResult memory r = EvalResult(
            tid, id, t.bestId, seed, status % 3, int256(challenger), int256(incumbent), bytes32(0)
        );
        _submit(r, mask, seed);
    }

    function _submit(EvalResult memory r, uint256 mask, bytes32 seed) internal {
        bytes32 digest = ac.resultDigest(r);
        uint256 perf = _index(gov.activeOperatorAt(uint256(seed) % gov.activeCount()));
        uint256 signMask = _signMask(perf, mask);
        bytes memory ps = _ecdsa(ops[perf].ethKey, digest);
        uint256[2] memory sigma = BN254.mul(BN254.hashToG1(digest), _skSum(signMask));
        uint256[2][] memory ns = _nonSigners(signMask);
        ModelSubmission.Task memory before = ms.getTask(r.taskId);
        vm.prank(AGGREGATOR);
        try ac.submitResult(r, ps, sigma, subsetG2[signMask], ns) {
            _afterVerdict(r, before);
            // a replay of the same verdict must fail
            vm.prank(AGGREGATOR);
            try ac.submitResult(r, ps, sigma, subsetG2[signMask], ns) {
                doubleSettle = true;
            } catch {}
        } catch (bytes memory err) {
            if (
                bytes4(err) == AttestationCenter.NotElectedPerformer.selector
                    || bytes4(err) == AttestationCenter.PerformerNotActive.selector
            ) electionMismatch = true;
        }
    }

    function _afterVerdict(EvalResult memory r, ModelSubmission.Task memory before) internal {
        verdicts++;
        settleCount[r.submissionId]++;
        if (settleCount[r.submissionId] > 1) doubleSettle = true;
        ModelSubmission.Task memory t = ms.getTask(r.taskId);
        if (before.bestId != 0 && t.bestScore < before.bestScore) bestScoreDecreased = true;
    }

    /// @dev The performer plus the active operators selected by `mask`.
    function _signMask(uint256 perf, uint256 mask) internal view returns (uint256 signMask) {
        signMask = 1 << perf;
        for (uint256 i = 0; i < ops.length; i++) {
            if (gov.isActive(ops[i].addr) && (mask >> i) & 1 == 1) signMask |= 1 << i;
        }
    }

    function _skSum(uint256 signMask) internal view returns (uint256 skSum) {
        for (uint256 i = 0; i < ops.length; i++) {
            if ((signMask >> i) & 1 == 1) skSum = addmod(skSum, ops[i].sk, BN254.R);
        }
    }

    function _ecdsa(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 rr, bytes32 ss) = vm.sign(key, digest);
        return abi.encodePacked(rr, ss, v);
    }

    function _index(address a) internal view returns (uint256) {
        for (uint256 i = 0; i < ops.length; i++) {
            if (ops[i].addr == a) return i;
        }
        revert("unknown operator");
    }

    function _nonSigners(uint256 signMask) internal view returns (uint256[2][] memory ns) {
        uint256 k;
        uint256[] memory idx = new uint256[](ops.length);
        for (uint256 i = 0; i < ops.length; i++) {
            if ((signMask >> i) & 1 == 0 && gov.isActive(ops[i].addr)) idx[k++] = i;
        }
        for (uint256 i = 1; i < k; i++) {
            for (
                uint256 j = i; j > 0 && uint256(ops[idx[j - 1]].id) > uint256(ops[idx[j]].id); j--) {
                (idx[j - 1], idx[j]) = (idx[j], idx[j - 1]);
            }
        }
        ns = new uint256[2][](k);
        for (uint256 i = 0; i < k; i++) {
            ns[i] = ops[idx[i]].g1;
        }
    }

    function expire(uint256 sub) external {
        calls++;
        uint256 n = ms.submissionCount();
        if (n == 0) return;
        try ms.expire(sub % n + 1) {} catch {}
    }

    function closeTask(uint256 task) external {
        calls++;
        uint256 n = ms.taskCount();
        if (n == 0) return;
        uint256 tid = task % n + 1;
        ModelSubmission.Task memory t = ms.getTask(tid);
        if (block.timestamp < t.deadline) vm.warp(t.deadline);
        vm.prank(t.owner);
        try ms.closeTask(tid) {} catch {}
    }

    function exitOperator(uint256 op) external {
        calls++;
        Op memory o = ops[op % ops.length];
        if (gov.activeCount() <= 1) return;
        vm.prank(o.addr);
        try gov.requestExit() {} catch {}
    }

    function completeExit(uint256 op) external {
        calls++;
        Op memory o = ops[op % ops.length];
        vm.roll(block.number + 25);
        vm.prank(o.addr);
        try gov.completeExit() {} catch {}
    }

    function topUp(uint256 op, uint64 amount) external {
        calls++;
        Op memory o = ops[op % ops.length];
        vm.deal(o.addr, o.addr.balance + amount);
        vm.prank(o.addr);
        try gov.topUp{value: amount}() {} catch {}
    }

    function equivocate(uint256 op, uint256 task) external {
        calls++;
        uint256 n = ms.taskCount();
        if (n == 0 || gov.activeCount() <= 1) return;
        Op memory o = ops[op % ops.length];
        EvalResult memory a;
        a.taskId = task % n + 1;
        a.submissionId = 1;
        EvalResult memory b = a;
        b.status = 2;
        uint256[2] memory sa = BN254.mul(BN254.hashToG1(ac.resultDigest(a)), o.sk);
        uint256[2] memory sb = BN254.mul(BN254.hashToG1(ac.resultDigest(b)), o.sk);
        vm.prank(REPORTER);
        try ac.reportEquivocation(o.addr, a, sa, b, sb) {} catch {}
    }

    function withdrawMs(uint256 who, bool useToken) external {
        calls++;
        address a = _anyone(who);
        address tok = useToken ? address(token) : address(0);
        uint256 owed = ms.claimable(tok, a);
        if (owed == 0) return;
        uint256 before = useToken ? token.balanceOf(a) : a.balance;
        vm.prank(a);
        ms.withdraw(tok);
        uint256 got = (useToken ? token.balanceOf(a) : a.balance) - before;
        if (got != owed || ms.claimable(tok, a) != 0) overWithdraw = true;
    }

    function withdrawAc(uint256 who) external {
        calls++;
        address a = _anyone(who);
        uint256 owed = ac.withdrawable(a);
        if (owed == 0) return;
        uint256 before = a.balance;
        vm.prank(a);
        ac.withdraw();
        if (a.balance - before != owed || ac.withdrawable(a) != 0) overWithdraw = true;
    }

    function _anyone(uint256 who) internal view returns (address) {
        uint256 k = who % (actors.length + ops.length + 2);
        if (k < actors.length) return actors[k];
        k -= actors.length;
        if (k < ops.length) return ops[k].addr;
        return k == ops.length ? AGGREGATOR : REPORTER;
    }

    function anyone(uint256 k) external view returns (address) {
        return _anyone(k);
    }
}

contract InvariantsTest is ZaraFixture {
    Handler h;

    function setUp() public {
        deployAll();
        registerEqual(5);
        uint256[] memory sks = new uint256[](5);
        Handler.Op[] memory hops = new Handler.Op[](5);
        for (uint256 i = 0; i < 5; i++) {
            sks[i] = ops[i].sk;
            hops[i] = Handler.Op(ops[i].addr, ops[i].ethKey, ops[i].sk, ops[i].g1, ops[i].id);
        }
        h = new Handler(gov, ms, ac, token, hops, blsSubsets(sks));
        targetContract(address(h));
        bytes4[] memory sel = new bytes4[](13);
        sel[0] = Handler.createTask.selector;
        sel[1] = Handler.commitReveal.selector;
        sel[2] = Handler.commitReveal.selector;
        sel[3] = Handler.mine.selector;
        sel[4] = Handler.verdict.selector;
        sel[5] = Handler.verdict.selector;
        sel[6] = Handler.expire.selector;
        sel[7] = Handler.closeTask.selector;
        sel[8] = Handler.exitOperator.selector;
        sel[9] = Handler.completeExit.selector;
        sel[10] = Handler.topUp.selector;
        sel[11] = Handler.equivocate.selector;
        sel[12] = Handler.withdrawMs.selector;
        targetSelector(FuzzSelector(address(h), sel));
        bytes4[] memory sel2 = new bytes4[](1);
        sel2[0] = Handler.withdrawAc.selector;
        targetSelector(FuzzSelector(address(h), sel2));
    }

    /// One campaign checks everything after every call (forge runs a campaign per invariant
    /// function; with BLS in every verdict, one campaign keeps `forge test` short).
    function invariant_protocol() public view {
        _check_modelSubmissionSolvent();
        _check_rewardsCovered();
        _check_stakesHeld();
        _check_settleOnceBestNeverDecreasesNoOverWithdraw();
    }

    /// Every wei ModelSubmission holds is owed: pools, live bonds and fees, claims, and the
    /// fees owed to the AttestationCenter. Per token.
    function _check_modelSubmissionSolvent() internal view {
        uint256 eth;
        uint256 tok;
        for (uint256 t = 1; t <= ms.taskCount(); t++) {
            ModelSubmission.Task memory task = ms.getTask(t);
            if (task.token == address(0)) eth += task.rewardPool;
            else tok += task.rewardPool;
        }
        for (uint256 s = 1; s <= ms.submissionCount(); s++) {
            ModelSubmission.Submission memory sub = ms.getSubmission(s);
            if (
                sub.state == ModelSubmission.State.Committed
                    || sub.state == ModelSubmission.State.Revealed
            ) {
                ModelSubmission.Task memory task = ms.getTask(sub.taskId);
                eth += task.evaluationFee;
                if (task.token == address(0)) eth += task.bond;
                else tok += task.bond;
            }
        }
        for (uint256 k = 0; k < h.actorCount() + h.opCount() + 2; k++) {
            address a = h.anyone(k);
            eth += ms.claimable(address(0), a);
            tok += ms.claimable(address(token), a);
        }
        eth += ac.feesReceivable();
        assertEq(address(ms).balance, eth, "ETH in ModelSubmission");
        assertEq(token.balanceOf(address(ms)), tok, "token in ModelSubmission");
    }

    /// The AttestationCenter (with the fees it may still pull) covers every reward it owes
    /// plus the carry; what it keeps beyond that is rounding dust (< 1 wei per operator and
    /// verdict).
    function _check_rewardsCovered() internal view {
        uint256 owed = ac.rewardCarry();
        for (uint256 k = 0; k < h.actorCount() + h.opCount() + 2; k++) {
            owed += ac.withdrawable(h.anyone(k));
        }
        uint256 held = address(ac).balance + ac.feesReceivable();
        assertGe(held, owed, "rewards not covered");
        assertLe(held - owed, (h.verdicts() + 1) * h.opCount() * 2 + 5, "unaccounted rewards");
    }

    /// Governance holds exactly the stakes of active and exiting operators; its totals match.
    function _check_stakesHeld() internal view {
        uint256 held;
        uint256 active;
        for (uint256 i = 0; i < h.opCount(); i++) {
            (address a,,,) = h.ops(i);
            AvsGovernance.Operator memory o = gov.operatorInfo(a);
            if (o.status == AvsGovernance.Status.Active || o.status == AvsGovernance.Status.Exiting)
            {
                held += o.stake;
            }
            if (o.status == AvsGovernance.Status.Active) active += o.stake;
            (uint256 mirrored,,) = ac.account(o.id);
            assertEq(mirrored, o.status == AvsGovernance.Status.Active ? o.stake : 0);
        }
        assertEq(address(gov).balance, held, "stake held");
        assertEq(gov.totalActiveStake(), active, "total active stake");
    }

    function _check_settleOnceBestNeverDecreasesNoOverWithdraw() internal view {
        assertFalse(h.doubleSettle());
        assertFalse(h.bestScoreDecreased());
        assertFalse(h.overWithdraw());
        assertFalse(h.electionMismatch()); // the performer election follows AvsGovernance
    }

    /// The handler's verdict path works (so the invariant runs do exercise verdicts).
    function test_handlerVerdict() public {
        h.createTask(0, false, 5 ether, 0.1 ether, 1000);
        h.commitReveal(1, 0, 1);
        h.mine(5);
        h.verdict(0, 0, 1e18, 0, 0xff);
        assertEq(h.verdicts(), 1);
    }
}
