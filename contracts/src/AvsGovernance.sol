// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {BN254} from "./BN254.sol";
import {IAttestationCenter} from "./ZaraTypes.sol";

/// @title AvsGovernance
/// @notice The operator registry: registration with an ETH stake, BN254 G1+G2 keys and a
///         proof of possession, endpoint URL and aggregator flag; stake top-up; exit with a
///         delay; slashing by the AttestationCenter only. Keeps the active set enumerable,
///         with its total stake and the aggregate G1 key of all active operators.
contract AvsGovernance is ReentrancyGuardTransient {
    enum Status {
        None,
        Active,
        Exiting,
        Exited,
        Slashed
    }

    struct Operator {
        bytes32 id;
        uint96 stake;
        Status status;
        bool aggregator;
        uint32 index;
        uint64 exitableAt;
        uint256[2] pkG1;
        uint256[4] pkG2;
        string endpoint;
    }

    /// @notice Smallest stake an operator registers with (wei).
    uint256 public immutable MIN_STAKE;
    /// @notice Blocks between requestExit and completeExit.
    uint256 public immutable EXIT_DELAY;
    /// @notice Longest endpoint URL accepted (bytes).
    uint256 public constant MAX_ENDPOINT = 256;

    /// @notice The AttestationCenter (set once by the deployer).
    IAttestationCenter public attestationCenter;
    address private immutable _deployer;

    mapping(address => Operator) private _ops;
    /// @notice The operator that registered a G1 key id (keys are never reused).
    mapping(bytes32 => address) public operatorById;
    address[] private _active;
    uint256[2] private _apk;
    uint128 private _totalStake;
    uint64 private _activeCount;

    event OperatorRegistered(
        address indexed operator,
        bytes32 indexed operatorId,
        uint256 stake,
        uint256[2] pkG1,
        uint256[4] pkG2,
        string endpoint,
        bool aggregator
    );
    event StakeAdded(address indexed operator, uint256 amount, uint256 stake);
    event EndpointUpdated(address indexed operator, string endpoint, bool aggregator);
    event OperatorExitRequested(address indexed operator, uint256 exitableAtBlock);
    event OperatorExited(address indexed operator, uint256 stakeReturned);
    event OperatorSlashed(address indexed operator, uint256 amount);

    error AlreadyInitialized();
    error NotDeployer();
    error NotAttestationCenter();
    error AlreadyRegistered();
    error StakeTooLow();
    error StakeTooHigh();
    error BadPublicKey();
    error KeyAlreadyUsed();
    error BadProofOfPossession();
    error EndpointTooLong();
    error NotActive();
    error NotExiting();
    error ExitDelayNotOver();
    error NotSlashable();
    error TransferFailed();

    /// @param minStake smallest registration stake in wei (at least 1)
    /// @param exitDelay blocks an exiting operator stays slashable before it gets its stake back
    constructor(uint256 minStake, uint256 exitDelay) {
        MIN_STAKE = minStake == 0 ? 1 : minStake;
        EXIT_DELAY = exitDelay;
        _deployer = msg.sender;
    }

    /// @notice Wires the AttestationCenter; callable once, by the deployer.
    function initialize(address attestationCenter_) external {
        if (msg.sender != _deployer) revert NotDeployer();
        if (address(attestationCenter) != address(0)) revert AlreadyInitialized();
        attestationCenter = IAttestationCenter(attestationCenter_);
    }

    /// @notice The message an operator signs as proof of possession of its BLS key:
    ///         keccak256(abi.encode(operator, block.chainid, address(this))).
    function popMessage(address operator) public view returns (bytes32) {
        return keccak256(abi.encode(operator, block.chainid, address(this)));
    }

    /// @notice The operator id of a G1 key: keccak256(abi.encode(x, y)).
    function operatorIdOf(uint256[2] memory pkG1) public pure returns (bytes32) {
        return keccak256(abi.encode(pkG1[0], pkG1[1]));
    }

    /// @notice Registers msg.sender as an active operator with msg.value as stake.
    /// @param pkG1 BLS public key in G1
    /// @param pkG2 the same key in G2, precompile order [x.imag, x.real, y.imag, y.real]
    /// @param pop BLS signature on popMessage(msg.sender) by that key
    /// @param endpoint public URL of the operator's node (JSON-RPC at POST <endpoint>/rpc)
    /// @param aggregator whether the node accepts attestations as an aggregator
    function register(
        uint256[2] calldata pkG1,
        uint256[4] calldata pkG2,
        uint256[2] calldata pop,
        string calldata endpoint,
        bool aggregator
    ) external payable nonReentrant {
        Operator storage op = _ops[msg.sender];
        if (op.status != Status.None && op.status != Status.Exited) revert AlreadyRegistered();
        if (msg.value < MIN_STAKE) revert StakeTooLow();
        if (msg.value > type(uint96).max) revert StakeTooHigh();
        if (bytes(endpoint).length > MAX_ENDPOINT) revert EndpointTooLong();
        if (!BN254.isOnCurveG1(pkG1)) revert BadPublicKey();
        bytes32 id = operatorIdOf(pkG1);
        if (operatorById[id] != address(0)) revert KeyAlreadyUsed();
        if (!BN254.verify(popMessage(msg.sender), pkG1, pkG2, pop)) {
            revert BadProofOfPossession();
        }
        operatorById[id] = msg.sender;
        op.id = id;
        op.stake = uint96(msg.value);
        op.status = Status.Active;
        op.aggregator = aggregator;
        op.index = uint32(_active.length);
        op.exitableAt = 0;
        op.pkG1 = pkG1;
        op.pkG2 = pkG2;
        op.endpoint = endpoint;
        _active.push(msg.sender);
        _totalStake += uint128(msg.value);
        _activeCount += 1;
        _apk = BN254.add(_apk, pkG1);
        _notify(msg.sender, id, msg.value);
        emit OperatorRegistered(msg.sender, id, msg.value, pkG1, pkG2, endpoint, aggregator);
    }

    /// @notice Adds msg.value to the stake of the active operator msg.sender.
    function topUp() external payable nonReentrant {
        Operator storage op = _ops[msg.sender];
        if (op.status != Status.Active) revert NotActive();
        uint256 stake = uint256(op.stake) + msg.value;
        if (stake > type(uint96).max) revert StakeTooHigh();
        op.stake = uint96(stake);
        _totalStake += uint128(msg.value);
        _notify(msg.sender, op.id, stake);
        emit StakeAdded(msg.sender, msg.value, stake);
    }

    /// @notice Changes the endpoint URL and aggregator flag of the active operator msg.sender.
    function setEndpoint(string calldata endpoint, bool aggregator) external {
        Operator storage op = _ops[msg.sender];
        if (op.status != Status.Active) revert NotActive();
        if (bytes(endpoint).length > MAX_ENDPOINT) revert EndpointTooLong();
        op.endpoint = endpoint;
        op.aggregator = aggregator;
        emit EndpointUpdated(msg.sender, endpoint, aggregator);
    }

    /// @notice Leaves the active set now (stake, key and rewards stop counting); the stake
    ///         stays slashable and is returned by completeExit after EXIT_DELAY blocks.
    function requestExit() external nonReentrant {
        Operator storage op = _ops[msg.sender];
        if (op.status != Status.Active) revert NotActive();
        _removeActive(op);
        op.status = Status.Exiting;
        op.exitableAt = uint64(block.number + EXIT_DELAY);
        _notify(msg.sender, op.id, 0);
        emit OperatorExitRequested(msg.sender, op.exitableAt);
    }

    /// @notice Returns the stake of an exiting operator once the exit delay is over.
    function completeExit() external nonReentrant {
        Operator storage op = _ops[msg.sender];
        if (op.status != Status.Exiting) revert NotExiting();
        if (block.number < op.exitableAt) revert ExitDelayNotOver();
        uint256 amount = op.stake;
        op.stake = 0;
        op.status = Status.Exited;
        emit OperatorExited(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    /// @notice Takes the whole stake of an active or exiting operator and sends it to the
    ///         AttestationCenter (which pays the reporter's bounty). Only the AttestationCenter.
    /// @return amount the stake taken, in wei
    function slash(address operator) external nonReentrant returns (uint256 amount) {
        if (msg.sender != address(attestationCenter)) revert NotAttestationCenter();
        Operator storage op = _ops[operator];
        if (op.status == Status.Active) {
            _removeActive(op);
            _notify(operator, op.id, 0);
        } else if (op.status != Status.Exiting) {
            revert NotSlashable();
        }
        amount = op.stake;
        op.stake = 0;
        op.status = Status.Slashed;
        emit OperatorSlashed(operator, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    /// @dev Tells the AttestationCenter an operator's new active stake and the quorum state
    ///      after the change (it keeps a copy so that a verdict needs no call here).
    function _notify(address operator, bytes32 id, uint256 newStake) private {
        attestationCenter.onStakeChange(
            operator, id, newStake, _apk[0], _apk[1], _totalStake, _activeCount
        );
    }

    function _removeActive(Operator storage op) private {
        uint256 i = op.index;
        address last = _active[_active.length - 1];
        _active[i] = last;
        _ops[last].index = uint32(i);
        _active.pop();
        _totalStake -= op.stake;
        _activeCount -= 1;
        _apk = BN254.add(_apk, BN254.negate(op.pkG1));
    }

    // ---- views ------------------------------------------------------------------------------

    /// @notice The aggregate G1 key of all active operators, their total stake and count.
    function quorumState()
        external
        view
        returns (uint256 apkX, uint256 apkY, uint256 totalStake, uint256 count)
    {
        return (_apk[0], _apk[1], _totalStake, _activeCount);
    }

    /// @notice Number of active operators.
    function activeCount() external view returns (uint256) {
        return _active.length;
    }

    /// @notice The active operator at an index of the active list (order changes on exits:
    ///         the last operator moves into the leaver's place).
    function activeOperatorAt(uint256 index) external view returns (address) {
        return _active[index];
    }

    /// @notice All active operators (for discovery; read their endpoints with operatorInfo).
    function activeOperators() external view returns (address[] memory) {
        return _active;
    }

    /// @notice Total stake of the active operators (wei).
    function totalActiveStake() external view returns (uint256) {
        return _totalStake;
    }

    /// @notice Whether an operator is in the active set.
    function isActive(address operator) external view returns (bool) {
        return _ops[operator].status == Status.Active;
    }

    /// @notice An operator's keys, and whether it can still be slashed (active or exiting).
    function operatorKeys(address operator)
        external
        view
        returns (uint256[2] memory pkG1, uint256[4] memory pkG2, bool slashable)
    {
        Operator storage op = _ops[operator];
        return (op.pkG1, op.pkG2, op.status == Status.Active || op.status == Status.Exiting);
    }

    /// @notice Everything registered about an operator.
    function operatorInfo(address operator) external view returns (Operator memory) {
        return _ops[operator];
    }
}
