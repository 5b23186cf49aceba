// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AvsGovernance} from "../src/AvsGovernance.sol";
import {AttestationCenter} from "../src/AttestationCenter.sol";
import {AvsLogic} from "../src/AvsLogic.sol";
import {ModelSubmission} from "../src/ModelSubmission.sol";

/// @notice The few Foundry cheatcodes the deploy script uses.
interface DeployVm {
    function envUint(string calldata) external view returns (uint256);
    function envOr(string calldata, uint256) external view returns (uint256);
    function envOr(string calldata, string calldata) external view returns (string memory);
    function addr(uint256) external pure returns (address);
    function startBroadcast(uint256) external;
    function stopBroadcast() external;
    function getNonce(address) external view returns (uint64);
    function computeCreateAddress(address, uint256) external pure returns (address);
    function toString(uint256) external pure returns (string memory);
    function toString(address) external pure returns (string memory);
    function writeFile(string calldata, string calldata) external;
}

/// @title Deploy
/// @notice Deploys and wires ModelSubmission, AvsGovernance, AttestationCenter and AvsLogic
///         with the protocol constants as parameters (environment variables, defaults below),
///         registers nothing, and writes the deployment file the node and the CLI read:
///         `DEPLOYMENT_OUT` (default `deployments/<chainId>.json`).
/// @dev Run: PRIVATE_KEY=0x... forge script script/Deploy.s.sol:Deploy --rpc-url URL --broadcast
contract Deploy {
    DeployVm internal constant vm =
        DeployVm(address(uint160(uint256(keccak256("hevm cheat code")))));

    struct Params {
        uint256 seedDelay;
        uint256 revealWindow;
        uint256 evalTimeout;
        uint256 minStake;
        uint256 exitDelay;
        uint256 quorumNum;
        uint256 quorumDen;
        uint256 performerBps;
        uint256 aggregatorBps;
        uint256 bountyBps;
        uint256 performerTimeout;
    }

    /// @notice Reads the constants from the environment (with defaults for a local chain).
    function params() public view returns (Params memory p) {
        p.seedDelay = vm.envOr("SEED_DELAY", uint256(2));
        p.revealWindow = vm.envOr("REVEAL_WINDOW", uint256(30));
        p.evalTimeout = vm.envOr("EVAL_TIMEOUT", uint256(60));
        p.minStake = vm.envOr("MIN_STAKE", uint256(1 ether));
        p.exitDelay = vm.envOr("EXIT_DELAY", uint256(20));
        p.quorumNum = vm.envOr("QUORUM_NUM", uint256(2));
        p.quorumDen = vm.envOr("QUORUM_DEN", uint256(3));
        p.performerBps = vm.envOr("PERFORMER_BPS", uint256(1000));
        p.aggregatorBps = vm.envOr("AGGREGATOR_BPS", uint256(500));
        p.bountyBps = vm.envOr("BOUNTY_BPS", uint256(5000));
        p.performerTimeout = vm.envOr("PERFORMER_TIMEOUT", uint256(4));
    }

    /// @notice Deploys, wires and writes the deployment file.
    function run() external {
        uint256 pk = vm.envUint("PRIVATE_KEY");
        address deployer = vm.addr(pk);
        Params memory p = params();
        uint256 deployBlock = block.number;

        vm.startBroadcast(pk);
        AvsGovernance gov = new AvsGovernance(p.minStake, p.exitDelay);
        ModelSubmission ms = new ModelSubmission(p.seedDelay, p.revealWindow, p.evalTimeout);
        // AvsLogic comes right after the AttestationCenter: its address is known in advance
        address logicAt = vm.computeCreateAddress(deployer, uint256(vm.getNonce(deployer)) + 1);
        AttestationCenter ac = new AttestationCenter(
            address(gov),
            address(ms),
            logicAt,
            p.quorumNum,
            p.quorumDen,
            p.performerBps,
            p.aggregatorBps,
            p.bountyBps,
            p.performerTimeout
        );
        AvsLogic logic = new AvsLogic(address(ac), address(ms));
        require(address(logic) == logicAt, "Deploy: AvsLogic address mismatch");
        gov.initialize(address(ac));
        ms.initialize(address(logic), address(ac));
        vm.stopBroadcast();

        string memory json = string.concat(
            "{\n  \"chainId\": ",
            vm.toString(block.chainid),
            ",\n  \"deployBlock\": ",
            vm.toString(deployBlock),
            ",\n  \"ModelSubmission\": \"",
            vm.toString(address(ms)),
            "\",\n  \"AttestationCenter\": \"",
            vm.toString(address(ac)),
            "\",\n  \"AvsLogic\": \"",
            vm.toString(address(logic)),
            "\",\n  \"AvsGovernance\": \"",
            vm.toString(address(gov)),
            "\",\n",
            _constants(p),
            "\n}\n"
        );
        string memory out = vm.envOr(
            "DEPLOYMENT_OUT", string.concat("deployments/", vm.toString(block.chainid), ".json")
        );
        vm.writeFile(out, json);
    }

    function _constants(Params memory p) internal pure returns (string memory) {
        return string.concat(
            "  \"constants\": {\"SEED_DELAY\": ",
            vm.toString(p.seedDelay),
            ", \"REVEAL_WINDOW\": ",
            vm.toString(p.revealWindow),
            ", \"EVAL_TIMEOUT\": ",
            vm.toString(p.evalTimeout),
            ", \"MIN_STAKE\": ",
            vm.toString(p.minStake),
            ", \"EXIT_DELAY\": ",
            vm.toString(p.exitDelay),
            ", \"QUORUM_NUM\": ",
            vm.toString(p.quorumNum),
            ", \"QUORUM_DEN\": ",
            vm.toString(p.quorumDen),
            ", \"PERFORMER_BPS\": ",
            vm.toString(p.performerBps),
            ", \"AGGREGATOR_BPS\": ",
            vm.toString(p.aggregatorBps),
            ", \"BOUNTY_BPS\": ",
            vm.toString(p.bountyBps),
            ", \"PERFORMER_TIMEOUT\": ",
            vm.toString(p.performerTimeout),
            "}"
        );
    }
}
