// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZaraTest} from "./base/ZaraTest.sol";
import {Deploy} from "../script/Deploy.s.sol";
import {AvsGovernance} from "../src/AvsGovernance.sol";
import {AttestationCenter} from "../src/AttestationCenter.sol";
import {AvsLogic} from "../src/AvsLogic.sol";
import {ModelSubmission} from "../src/ModelSubmission.sol";

/// @notice The deploy script deploys, wires, takes its constants from the environment and
///         writes a deployment file that names what it deployed.
contract DeployTest is ZaraTest {
    function test_deployScript() public {
        string memory out = "deployments/forge-test-deploy.json";
        vm.setEnv("PRIVATE_KEY", "0xa11ce");
        vm.setEnv("DEPLOYMENT_OUT", out);
        vm.setEnv("SEED_DELAY", "3");
        vm.setEnv("QUORUM_NUM", "3");
        vm.setEnv("QUORUM_DEN", "4");
        vm.roll(1234);
        new Deploy().run();
        string memory json = vm.readFile(out);
        vm.removeFile(out);
        assertEq(vm.parseJsonUint(json, ".chainId"), block.chainid);
        assertEq(vm.parseJsonUint(json, ".deployBlock"), 1234);
        ModelSubmission ms = ModelSubmission(payable(vm.parseJsonAddress(json, ".ModelSubmission")));
        AttestationCenter ac =
            AttestationCenter(payable(vm.parseJsonAddress(json, ".AttestationCenter")));
        AvsGovernance gov = AvsGovernance(vm.parseJsonAddress(json, ".AvsGovernance"));
        AvsLogic logic = AvsLogic(vm.parseJsonAddress(json, ".AvsLogic"));
        assertEq(ms.avsLogic(), address(logic));
        assertEq(ms.attestationCenter(), address(ac));
        assertEq(address(gov.attestationCenter()), address(ac));
        assertEq(address(ac.avsLogic()), address(logic));
        assertEq(address(ac.governance()), address(gov));
        assertEq(address(ac.modelSubmission()), address(ms));
        assertEq(logic.attestationCenter(), address(ac));
        assertEq(address(logic.modelSubmission()), address(ms));
        assertEq(ms.SEED_DELAY(), 3);
        assertEq(vm.parseJsonUint(json, ".constants.SEED_DELAY"), 3);
        assertEq(ac.QUORUM_NUM(), 3);
        assertEq(ac.QUORUM_DEN(), 4);
        assertEq(vm.parseJsonUint(json, ".constants.QUORUM_DEN"), 4);
        assertEq(gov.activeCount(), 0);
        // the deployer cannot re-wire anything
        vm.prank(vm.addr(0xa11ce));
        vm.expectRevert(AvsGovernance.AlreadyInitialized.selector);
        gov.initialize(address(1));
        vm.prank(vm.addr(0xa11ce));
        vm.expectRevert(ModelSubmission.AlreadyInitialized.selector);
        ms.initialize(address(1), address(1));
    }
}
